// The OpenAPI document (src/server/openapi.ts): valid OpenAPI 3.1, every procedure of appRouter and Better Auth's
// endpoints in it, each procedure described as its middlewares and input make it, built once, no secret in it.
import { Validator } from "@seriousme/openapi-schema-validator";
import type { AnyProcedure, AnyRouter } from "@trpc/server";
import { z } from "zod";
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "@/env";
import { describeProcedures } from "@/server/api/openapi";
import { publicProcedure } from "@/server/api/procedures";
import { appRouter } from "@/server/api/root";
import { createTRPCRouter } from "@/server/api/trpc";
import { openApiDocument } from "@/server/openapi";
import { ADMIN_PROCEDURES, PUBLIC_PROCEDURES } from "@/test/access-policy";
import { appSessionCookieName } from "@/test/fixtures";

type Operation = {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; content: Record<string, { schema: Schema }> }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
};
type Schema = { properties?: Record<string, Schema>; [keyword: string]: unknown };
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> };
};

let text: string;
let document: Document;
beforeAll(async () => {
  text = await openApiDocument();
  document = JSON.parse(text) as Document;
});

const procedures = Object.entries((appRouter as AnyRouter)._def.procedures as Record<string, AnyProcedure>).map(
  ([path, procedure]) => ({
    path,
    method: procedure._def.type === "mutation" ? "post" : "get",
  }),
);
const operationOf = (path: string) => {
  const item = document.paths[`/api/trpc/${path}`] ?? {};
  const operation = item.get ?? item.post;
  if (!operation) throw new Error(`${path} is not in the document`);
  return operation;
};
/** The JSON Schema of a procedure's input, inside superjson's envelope. */
const inputOf = (operation: Operation) =>
  (operation.requestBody?.content ?? operation.parameters?.[0]?.content)?.["application/json"]?.schema.properties?.json;

describe("GET /api/openapi.json's document", () => {
  it("is valid OpenAPI 3.1, every $ref resolving", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("is built once per process", () => {
    expect(openApiDocument()).toBe(openApiDocument());
  });

  it("holds no secret", () => {
    expect(text).not.toContain(env.BETTER_AUTH_SECRET);
    // Better Auth's plugin describes every table, the signing keys' too; only the schemas endpoints use are kept.
    expect(text).not.toContain("privateKey");
  });
});

describe("the procedures in it", () => {
  it.each(procedures)("$path at /api/trpc/$path, $method", ({ path, method }) => {
    expect(document.paths[`/api/trpc/${path}`]?.[method]?.operationId).toBe(path);
  });

  it("asks no credential of exactly the public procedures, and a bearer token or the cookie of the others", () => {
    const anyone = procedures.filter(({ path }) => operationOf(path).security?.some((way) => !Object.keys(way).length));
    expect(anyone.map(({ path }) => path).sort()).toEqual([...PUBLIC_PROCEDURES].sort());
    expect(operationOf("task.list").security).toEqual([
      { accessToken: [] },
      { sessionToken: [] },
      { sessionCookie: [] },
    ]);
  });

  it("answers 401 for every non-public procedure, and 403 for admin ones (and for mutations, cross-site)", () => {
    for (const { path, method } of procedures) {
      const responses = operationOf(path).responses;
      expect("401" in responses, path).toBe(!PUBLIC_PROCEDURES.includes(path));
      expect("403" in responses, path).toBe(ADMIN_PROCEDURES.includes(path) || method === "post");
    }
    expect(Object.keys(operationOf("task.create").responses)).toEqual(
      expect.arrayContaining(["200", "400", "413", "415", "429", "500", "default"]),
    );
  });

  it("gives each input's schema, strict, with a Date as an ISO string annotated in meta", () => {
    const create = inputOf(operationOf("task.create"));
    expect(create).toMatchObject({ required: ["title"], additionalProperties: false });
    expect(create?.properties?.title).toEqual({ type: "string", minLength: 1, maxLength: 200 });
    expect(create?.properties?.dueAt).toMatchObject({
      anyOf: [{ type: "string", format: "date-time" }, { type: "null" }],
    });
    expect(operationOf("task.create").requestBody?.required).toBe(true);
    // A query's input goes in ?input=, and may be left out when the procedure needs none.
    expect(operationOf("task.list").parameters?.[0]).toMatchObject({ name: "input", in: "query", required: false });
    expect(operationOf("task.byId").parameters?.[0]).toMatchObject({ name: "input", in: "query", required: true });
  });

  it("describes a declared output", () => {
    const router = createTRPCRouter({
      echo: publicProcedure
        .input(z.strictObject({ word: z.string() }))
        .output(z.object({ word: z.string() }))
        .query(({ input }) => input),
    });
    const echo = describeProcedures(router).paths["/api/trpc/echo"]?.get;
    expect(JSON.stringify(echo)).toContain('"json":{"type":"object","properties":{"word":{"type":"string"}}');
  });
});

describe("Better Auth's endpoints in it", () => {
  it.each([
    ["post", "/api/auth/sign-in/email"],
    ["post", "/api/auth/sign-up/email"],
    ["get", "/api/auth/token"],
    ["get", "/api/auth/jwks"],
  ])("%s %s", (method, path) => {
    expect(document.paths[path]?.[method]).toBeDefined();
  });

  it("leaves out the paths the app disables", () => {
    for (const path of ["/reference", "/open-api/generate-schema", "/admin/set-role", "/two-factor/send-otp"]) {
      expect(document.paths[`/api/auth${path}`]).toBeUndefined();
    }
  });

  it("names the app's session cookie", async () => {
    expect(document.components.securitySchemes.sessionCookie).toEqual(
      expect.objectContaining({ type: "apiKey", in: "cookie", name: await appSessionCookieName() }),
    );
  });
});
