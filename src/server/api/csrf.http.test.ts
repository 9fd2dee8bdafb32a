// Cross-site safety of /api/trpc: Better Auth's origin check stops at /api/auth, so tRPC has its own.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createUser, signIn } from "@/test/fixtures";
import { BASE_URL, trpcRequest } from "@/test/http";

async function cookieOfNewUser() {
  const user = await createUser();
  return { user, cookie: (await signIn(user)).headers.get("cookie") ?? "" };
}

const createTask = (cookie: string, headers: Record<string, string> = {}) =>
  trpcRequest("task.create", { body: { json: { title: "from somewhere" } }, headers: { cookie, ...headers } });

describe("cookie-authenticated tRPC mutations", () => {
  it("succeed from our own origin", async () => {
    const { cookie } = await cookieOfNewUser();
    expect((await createTask(cookie, { origin: BASE_URL, "sec-fetch-site": "same-origin" })).status).toBe(200);
  });

  it("are FORBIDDEN from an untrusted Origin, and change nothing", async () => {
    const { user, cookie } = await cookieOfNewUser();
    const response = await createTask(cookie, { origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { json: { data: { code: string } } } }).error.json.data.code).toBe(
      "FORBIDDEN",
    );
    expect(await db.task.count({ where: { userId: user.id } })).toBe(0);
  });

  it("are FORBIDDEN when the browser says Sec-Fetch-Site: cross-site", async () => {
    const { cookie } = await cookieOfNewUser();
    expect((await createTask(cookie, { "sec-fetch-site": "cross-site" })).status).toBe(403);
  });

  it.each([
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/octet-stream",
  ])("refuse a %s body (a form can send it without a preflight)", async (contentType) => {
    const { user, cookie } = await cookieOfNewUser();
    const response = await createTask(cookie, { "content-type": contentType });
    expect(response.status).toBe(415);
    expect(await db.task.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuse a body over the size limit", async () => {
    const { cookie } = await cookieOfNewUser();
    const response = await trpcRequest("task.create", {
      body: { json: { title: "x", description: "y".repeat(300 * 1024) } },
      headers: { cookie },
    });
    expect(response.status).toBe(413);
  });

  it("queries stay readable cross-site (they change nothing; CORS keeps the answer from other origins)", async () => {
    const { cookie } = await cookieOfNewUser();
    expect((await trpcRequest("task.list", { headers: { cookie, origin: "https://evil.example" } })).status).toBe(200);
  });
});
