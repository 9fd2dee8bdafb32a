// Better Auth's endpoints in the API's OpenAPI document (src/server/openapi.ts): its `openAPI` plugin generates their
// description, which is adapted here to the app (paths under /api/auth, our credentials). The plugin's own HTTP
// endpoints are disabled: /reference loads its viewer from an outside CDN, and /open-api/generate-schema would build
// the document again on every request; the app serves the whole API's document, built once, at /api/openapi.json.
import { openAPI } from "better-auth/plugins";
import type { Path } from "better-auth/plugins/open-api";
import type { Auth } from "@/server/auth";

export const openApiPlugin = openAPI();

/** Every path the plugin serves, for Better Auth's `disabledPaths` (answered 404). */
export const openApiPluginPaths: string[] = Object.values(openApiPlugin.endpoints).map((endpoint) => endpoint.path);

/**
 * The names of the document's security schemes: an access token (accepted by /api/trpc only), a session token, or the
 * session cookie.
 */
export const CREDENTIALS = {
  accessToken: "accessToken",
  sessionToken: "sessionToken",
  cookie: "sessionCookie",
} as const;

/** An operation of the plugin's document (Object.entries would type it `any`). */
type Operation = NonNullable<Path[keyof Path]>;

/** What a part of the API contributes to the document. */
export type ApiDescription = {
  paths: Record<string, Record<string, unknown>>;
  schemas: Record<string, unknown>;
  securitySchemes: Record<string, unknown>;
};

/** The `#/components/schemas/…` names that `value` refers to, directly. */
function schemaRefs(value: unknown): string[] {
  const json = JSON.stringify(value);
  return [...json.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1] as string);
}

/** The schemas `paths` refer to, directly or through other schemas: the plugin describes every table, even `jwks`. */
function referencedSchemas(paths: unknown, schemas: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (let pending = schemaRefs(paths), name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (name in kept || !(name in schemas)) continue;
    kept[name] = schemas[name];
    pending.push(...schemaRefs(schemas[name]));
  }
  return kept;
}

/**
 * Better Auth's endpoints as `auth` serves them (disabled paths left out), under `prefix`. Every one takes the session
 * token or the cookie and answers 401 itself where it needs one (the plugin says every one needs a bearer token); the
 * plugin's tag for core endpoints, "Default", is "auth".
 */
export async function describeAuthEndpoints(auth: Auth, prefix: string): Promise<ApiDescription> {
  const generated = await auth.api.generateOpenAPISchema();
  const credentials = [{}, { [CREDENTIALS.sessionToken]: [] }, { [CREDENTIALS.cookie]: [] }];
  const paths = Object.fromEntries(
    Object.entries(generated.paths).map(([path, item]) => [
      `${prefix}${path}`,
      Object.fromEntries(
        (Object.entries(item) as [string, Operation][]).map(([method, operation]) => [
          method,
          {
            ...operation,
            tags: (operation.tags ?? []).map((tag) => (tag === "Default" ? "auth" : tag)),
            security: credentials,
          },
        ]),
      ),
    ]),
  );
  const cookie = (await auth.$context).authCookies.sessionToken.name;
  return {
    paths,
    schemas: referencedSchemas(paths, generated.components.schemas),
    securitySchemes: {
      [CREDENTIALS.accessToken]: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT",
        description: "An access token: GET /api/auth/token mints one, valid 10 minutes. Taken before a cookie.",
      },
      [CREDENTIALS.sessionToken]: {
        type: "http",
        scheme: "bearer",
        description: "A session token: the set-auth-token header of a sign-in. Taken before a cookie.",
      },
      [CREDENTIALS.cookie]: {
        type: "apiKey",
        in: "cookie",
        name: cookie,
        description: "The browser's session cookie, set by a sign-in.",
      },
    },
  };
}
