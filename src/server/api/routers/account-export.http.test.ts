// account.export writes an audit event, so it is a mutation: over HTTP, a GET (which any site can make a signed-in
// browser send, with its cookie) is refused and writes nothing; the app's own POST exports and is audited.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createUser, signIn } from "@/test/fixtures";
import { trpcRequest } from "@/test/http";

const exportEvents = (userId: string) => db.authEvent.count({ where: { userId, type: "account-exported" } });

describe("account.export over HTTP", () => {
  it("a GET, as a cross-site link or image would send it, is refused and records nothing", async () => {
    const user = await createUser();
    const cookie = (await signIn(user)).headers.get("cookie") ?? "";
    const input = encodeURIComponent(JSON.stringify({ json: null }));
    for (const path of ["account.export", `account.export?input=${input}`]) {
      const response = await trpcRequest(path, {
        headers: { cookie, origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" },
      });
      expect(response.status, path).toBe(405);
      expect(JSON.stringify(await response.json())).not.toContain(user.email);
    }
    expect(await exportEvents(user.id)).toBe(0);
  });

  it("a POST from the app exports the account and records it once", async () => {
    const user = await createUser();
    const cookie = (await signIn(user)).headers.get("cookie") ?? "";
    const response = await trpcRequest("account.export", { body: {}, headers: { cookie } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { json: { profile: { email: string } } } } };
    expect(body.result.data.json.profile.email).toBe(user.email);
    expect(await exportEvents(user.id)).toBe(1);
  });

  it("a cross-site POST is refused like any mutation", async () => {
    const user = await createUser();
    const cookie = (await signIn(user)).headers.get("cookie") ?? "";
    const response = await trpcRequest("account.export", {
      body: {},
      headers: { cookie, origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" },
    });
    expect(response.status).toBe(403);
    expect(await exportEvents(user.id)).toBe(0);
  });
});
