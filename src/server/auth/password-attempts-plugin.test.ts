// Every password check counts per account, whichever endpoint performs it: Better Auth's endpoints are walked, so an
// endpoint added by an upgrade or a plugin that takes a password fails here until the per-account limit covers it.
import type { BetterAuthPlugin } from "better-auth";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { auth } from "@/server/auth";
import { PASSWORD_CHECKING_ENDPOINTS } from "@/server/auth/password-attempts-plugin";

/** Endpoints whose body takes a password only to set it: nothing is checked against an account. */
const SETS_A_PASSWORD_ONLY: Record<string, string> = {
  "/sign-up/email": "password",
};

type Endpoint = { path?: string; options?: { body?: unknown; metadata?: { SERVER_ONLY?: boolean } } };
type JsonSchema = {
  properties?: Record<string, unknown>;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/** Every field name a body schema accepts, through intersections and unions. */
function fieldsOf(schema: JsonSchema): string[] {
  const parts = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  return [...Object.keys(schema.properties ?? {}), ...parts.flatMap(fieldsOf)];
}

function bodyFields(endpoint: Endpoint): string[] {
  const body = endpoint.options?.body;
  if (!(body instanceof z.ZodType)) return [];
  return fieldsOf(z.toJSONSchema(body, { io: "input", unrepresentable: "any" }) as JsonSchema);
}

/** The endpoints a request can reach: a path, not server-only, not switched off. */
const reachable = (Object.values(auth.api) as unknown as Endpoint[]).filter(
  (endpoint): endpoint is Endpoint & { path: string } =>
    typeof endpoint.path === "string" &&
    !endpoint.options?.metadata?.SERVER_ONLY &&
    !(auth.options.disabledPaths ?? []).includes(endpoint.path),
);

/** Each reachable endpoint with the fields of its body that carry a password to check (a new password is set, not checked). */
const takingAPassword = reachable
  .map((endpoint) => ({
    path: endpoint.path,
    fields: bodyFields(endpoint).filter(
      (field) => /password/i.test(field) && field !== "newPassword" && SETS_A_PASSWORD_ONLY[endpoint.path] !== field,
    ),
  }))
  .filter((endpoint) => endpoint.fields.length > 0);

describe("every endpoint that checks a password counts it per account", () => {
  it("the walk finds the endpoints known to check one (so it cannot pass by finding none)", () => {
    expect(takingAPassword.map((endpoint) => endpoint.path)).toEqual(
      expect.arrayContaining(["/sign-in/email", "/verify-password", "/change-password"]),
    );
  });

  it("each is listed with the field that carries its password", () => {
    const uncovered = takingAPassword.filter(({ path, fields }) => {
      const covered = PASSWORD_CHECKING_ENDPOINTS[path];
      return !covered || !fields.includes(covered.field) || fields.length > 1;
    });
    expect(uncovered).toEqual([]);
  });

  it("the installed plugin counts each of them before and after the check", () => {
    const plugins: readonly BetterAuthPlugin[] = auth.options.plugins;
    const plugin = plugins.find((installed) => installed.id === "password-attempts");
    const runs = (hooks: { matcher: (ctx: never) => boolean }[] | undefined, path: string) =>
      (hooks ?? []).some((hook) => hook.matcher({ path } as never));
    const missing = takingAPassword
      .map(({ path }) => path)
      .filter((path) => !runs(plugin?.hooks?.before, path) || !runs(plugin?.hooks?.after, path));
    expect(plugin).toBeDefined();
    expect(missing).toEqual([]);
  });
});
