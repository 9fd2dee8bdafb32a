// GET /api/openapi.json over real HTTP through the production listener, with its fast paths on and off (it is Next's
// route either way), and Better Auth's /reference page, which would load a viewer from an outside CDN, not served.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, startTestServer } from "@/test/http-server";
import { createUser } from "@/test/fixtures";
import { accessTokenFor } from "@/test/fixtures/tokens";

type Document = { openapi: string; paths: Record<string, Record<string, unknown>> };

describe.each([true, false])("the OpenAPI document over HTTP, fast paths %s", (fastPaths) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer(undefined, {}, { fastPaths });
  });
  afterAll(() => server.close());

  it("answers 200 with the document as JSON and the API's security headers", async () => {
    const response = await rawRequest(server.url, { path: "/api/openapi.json" });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    const document = JSON.parse(response.body) as Document;
    expect(document.openapi).toBe("3.1.1");
    expect(document.paths["/api/trpc/task.create"]?.post).toBeDefined();
  });

  it.each(["/api/auth/reference", "/api/auth/open-api/generate-schema"])(
    "does not serve Better Auth's %s",
    async (path) => {
      const response = await rawRequest(server.url, { path });
      expect(response.status).toBe(404);
      expect(response.body).not.toContain("cdn.jsdelivr.net");
      expect(response.body).not.toContain("<script");
    },
  );

  it("describes a call the server accepts (a JWT, a Date annotated in meta) and one it refuses (an unknown key)", async () => {
    const token = await accessTokenFor(await createUser());
    const call = (json: Record<string, unknown>) =>
      rawRequest(server.url, {
        method: "POST",
        path: "/api/trpc/task.create",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: Buffer.from(JSON.stringify({ json, meta: { values: { dueAt: ["Date"] } } })),
      });
    const created = await call({ title: "From the contract", dueAt: "2030-01-02T03:04:05.000Z" });
    expect(created.status).toBe(200);
    expect(JSON.parse(created.body)).toMatchObject({
      result: { data: { json: { dueAt: "2030-01-02T03:04:05.000Z" }, meta: { values: { dueAt: ["Date"] } } } },
    });
    const refused = await call({ title: "x", dueAt: "2030-01-02T03:04:05.000Z", colour: "red" });
    expect(refused.status).toBe(400);
  });
});
