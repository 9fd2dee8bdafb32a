// The API's OpenAPI 3.1 document (src/server/openapi.ts), built once per process. Not one of the listener's fast
// paths: `npm start` hands it to Next, with FAST_PATHS on or off.
export const dynamic = "force-dynamic";

export { handleOpenApiRequest as GET } from "@/server/openapi";
