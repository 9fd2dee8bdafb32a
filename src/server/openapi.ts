// GET /api/openapi.json: the public API's OpenAPI 3.1 document, generated from appRouter's procedures
// (src/server/api/openapi.ts) and Better Auth's endpoints (src/server/auth/openapi.ts), built once per process.
// Decision 024.
import { env } from "@/env";
import { describeProcedures } from "@/server/api/openapi";
import { appRouter } from "@/server/api/root";
import { auth } from "@/server/auth";
import { AUTH_ENDPOINT } from "@/server/auth/http-handler";
import { describeAuthEndpoints } from "@/server/auth/openapi";
import { serveApiRequest } from "@/server/http/api-request";

export const OPENAPI_PATH = "/api/openapi.json";

async function buildDocument() {
  const procedures = describeProcedures(appRouter);
  const authEndpoints = await describeAuthEndpoints(auth, AUTH_ENDPOINT);
  return {
    openapi: "3.1.1",
    info: {
      title: "Taskforge API",
      version: "1",
      description:
        "The typed API (tRPC at /api/trpc: a query is GET with ?input=, a mutation POST, both in superjson's " +
        'envelope {"json": …}) and Better Auth\'s endpoints (/api/auth). A client without a browser signs in at ' +
        "/api/auth/sign-in/email, keeps the session token from its set-auth-token header, and sends a JWT from " +
        "GET /api/auth/token as a bearer token (docs/api-clients.md).",
    },
    servers: [{ url: env.BETTER_AUTH_URL }],
    paths: { ...procedures.paths, ...authEndpoints.paths },
    components: {
      schemas: { ...authEndpoints.schemas, ...procedures.schemas },
      securitySchemes: authEndpoints.securitySchemes,
    },
  };
}

let document: Promise<string> | undefined;

/** The document as JSON, built on first use; a failed build is tried again on the next request. */
export function openApiDocument(): Promise<string> {
  document ??= buildDocument()
    .then((built) => JSON.stringify(built))
    .catch((error: unknown) => {
      document = undefined;
      throw error;
    });
  return document;
}

async function serveDocument(): Promise<Response> {
  return new Response(await openApiDocument(), { headers: { "content-type": "application/json; charset=utf-8" } });
}

export function handleOpenApiRequest(request: Request): Promise<Response> {
  return serveApiRequest(request, serveDocument, () => OPENAPI_PATH);
}
