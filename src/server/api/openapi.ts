// The tRPC procedures in the API's OpenAPI document (src/server/openapi.ts), as they are called over HTTP: a query is
// GET /api/trpc/<path>?input=<JSON>, a mutation POST /api/trpc/<path> with a JSON body, each input and result in
// superjson's envelope ({"json": value, "meta": annotations}). Inputs come from each procedure's zod input (zod's JSON
// Schema), who may call it and what it may refuse from the middlewares it is built from (procedures.ts).
import type { AnyProcedure, AnyRouter } from "@trpc/server";
import { z } from "zod";
import { MAX_BODY_BYTES, TRPC_ENDPOINT } from "@/server/api/http-handler";
import { limitMutations } from "@/server/api/middlewares/mutation-limit";
import { requireAdmin } from "@/server/api/middlewares/require-admin";
import { requireFreshSession } from "@/server/api/middlewares/require-fresh-session";
import { requireSession } from "@/server/api/middlewares/require-session";
import { sameSiteMutations } from "@/server/api/middlewares/same-site";
import { type ApiDescription, CREDENTIALS } from "@/server/auth/openapi";

/**
 * A procedure's definition as tRPC keeps it at run time: the built procedure's type leaves out its middlewares and
 * output parser, which the procedure builder stored there.
 */
type ProcedureDef = AnyProcedure["_def"] & { middlewares: unknown[]; output?: unknown };

type MiddlewareBuilder = { _middlewares: unknown[] };

type Refusal = { status: number; middleware: MiddlewareBuilder; mutationsOnly: boolean; description: string };

/** What each middleware refuses, with the HTTP status tRPC answers it with. */
const REFUSALS: Refusal[] = [
  {
    status: 401,
    middleware: requireSession,
    mutationsOnly: false,
    description: "UNAUTHORIZED: no valid session or access token.",
  },
  {
    status: 403,
    middleware: sameSiteMutations,
    mutationsOnly: true,
    description: "FORBIDDEN: authenticated by the cookie from another site.",
  },
  {
    status: 403,
    middleware: requireFreshSession,
    mutationsOnly: false,
    description: "FORBIDDEN (reason FRESH_SESSION_REQUIRED): not signed in to within the last 10 minutes.",
  },
  {
    status: 403,
    middleware: requireAdmin,
    mutationsOnly: false,
    description:
      "FORBIDDEN: not an administrator; with reason SECOND_FACTOR_REQUIRED, a session made without a second factor " +
      "(when required); with reason FRESH_SESSION_REQUIRED, a mutation from a session not signed in to within 10 minutes.",
  },
  {
    status: 429,
    middleware: limitMutations,
    mutationsOnly: true,
    description: "TOO_MANY_REQUESTS: too many mutations in a minute; Retry-After says when to try again.",
  },
];

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: schemaRef("TrpcError") } },
});

/** superjson's annotations of an input: the paths of its Dates (and of undefined values), nothing else. */
const INPUT_META = {
  type: "object",
  description: 'superjson\'s annotations: the path of each Date in `json`, e.g. {"values": {"dueAt": ["Date"]}}.',
  properties: {
    values: {
      type: "object",
      additionalProperties: { type: "array", items: { enum: ["Date", "undefined"] }, minItems: 1, maxItems: 1 },
    },
    v: { type: "integer" },
  },
  additionalProperties: false,
};

const TRPC_ERROR = {
  type: "object",
  description: "A refusal or failure, in tRPC's error shape; `data.code` is the tRPC code.",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["json"],
      properties: {
        json: {
          type: "object",
          required: ["message", "code", "data"],
          properties: {
            message: { type: "string" },
            code: { type: "integer", description: "The JSON-RPC error code." },
            data: {
              type: "object",
              required: ["code", "httpStatus"],
              properties: {
                code: { type: "string", examples: ["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"] },
                httpStatus: { type: "integer" },
                path: { type: "string" },
                zodError: {
                  description: "For BAD_REQUEST from the input's schema: zod's flattened errors.",
                  anyOf: [
                    { type: "null" },
                    {
                      type: "object",
                      properties: {
                        formErrors: { type: "array", items: { type: "string" } },
                        fieldErrors: {
                          type: "object",
                          additionalProperties: { type: "array", items: { type: "string" } },
                        },
                      },
                    },
                  ],
                },
                reason: { type: ["string", "null"], description: "What a FORBIDDEN asks of the caller, if anything." },
                requestId: { type: ["string", "null"], description: "Also in the server's log." },
              },
            },
          },
        },
      },
    },
  },
};

/** zod's JSON Schema of an input as a client sends it; a Date is an ISO string whose path goes in `meta`. */
function inputSchema(parser: unknown): Record<string, unknown> {
  if (!(parser instanceof z.ZodType)) throw new Error("Only zod inputs can be described.");
  const { $schema: _dialect, ...schema } = z.toJSONSchema(parser, {
    io: "input",
    cycles: "throw",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type !== "date") return;
      jsonSchema.type = "string";
      jsonSchema.format = "date-time";
      jsonSchema.description = 'A Date: an ISO 8601 string, its path in meta.values as ["Date"].';
    },
  });
  return schema;
}

/** The schema of a procedure's output, when it declares one. */
function outputSchema(parser: unknown): Record<string, unknown> {
  if (!(parser instanceof z.ZodType)) return { description: "The procedure's result (not described here)." };
  const { $schema: _dialect, ...schema } = z.toJSONSchema(parser, { io: "output", unrepresentable: "any" });
  return schema;
}

function envelope(json: Record<string, unknown>, meta: Record<string, unknown>) {
  return { type: "object", required: ["json"], properties: { json, meta } };
}

function describeProcedure(path: string, procedure: AnyProcedure) {
  const def = procedure._def as ProcedureDef;
  const mutation = def.type === "mutation";
  const uses = (builder: MiddlewareBuilder) => builder._middlewares.every((fn) => def.middlewares.includes(fn));
  const refusals = REFUSALS.filter((refusal) => uses(refusal.middleware) && (mutation || !refusal.mutationsOnly));
  const signedIn = uses(requireSession);

  const responses: Record<string, unknown> = {
    200: {
      description: "The result, in superjson's envelope.",
      content: {
        "application/json": {
          schema: {
            type: "object",
            required: ["result"],
            properties: {
              result: {
                type: "object",
                properties: { data: envelope(outputSchema(def.output), { type: "object" }) },
              },
            },
          },
        },
      },
    },
    400: errorResponse("BAD_REQUEST: the input does not match its schema (or its superjson annotations)."),
    ...(mutation ? { 413: errorResponse(`PAYLOAD_TOO_LARGE: a body over ${MAX_BODY_BYTES} bytes.`) } : {}),
    ...(mutation ? { 415: errorResponse("UNSUPPORTED_MEDIA_TYPE: a body other than application/json.") } : {}),
    500: errorResponse("INTERNAL_SERVER_ERROR: a generic message and the request id."),
    default: errorResponse("Another refusal of the procedure's own (NOT_FOUND, CONFLICT, …), in the same shape."),
  };
  for (const status of new Set(refusals.map((refusal) => refusal.status))) {
    const descriptions = refusals.filter((refusal) => refusal.status === status).map((refusal) => refusal.description);
    responses[status] = errorResponse(descriptions.join(" "));
  }

  const input =
    def.inputs.length === 0
      ? null
      : {
          schema: envelope(
            def.inputs.length === 1 ? inputSchema(def.inputs[0]) : { allOf: def.inputs.map(inputSchema) },
            schemaRef("SuperjsonInputMeta"),
          ),
          // A procedure whose input may be left out (no input, or one with defaults) takes a call without one.
          required: !def.inputs.every((parser) => parser instanceof z.ZodType && parser.safeParse(undefined).success),
        };
  const credentials = Object.values(CREDENTIALS).map((scheme) => ({ [scheme]: [] }));
  const operation = {
    operationId: path,
    tags: [path.split(".")[0]],
    summary: `${def.type} ${path}`,
    description: signedIn ? "Signed in." : "Anyone; a session is used when sent.",
    security: signedIn ? credentials : [{}, ...credentials],
    ...(input === null
      ? {}
      : mutation
        ? { requestBody: { required: input.required, content: { "application/json": { schema: input.schema } } } }
        : {
            parameters: [
              {
                name: "input",
                in: "query",
                required: input.required,
                description: 'The input in superjson\'s envelope, as JSON: {"json": …}.',
                content: { "application/json": { schema: input.schema } },
              },
            ],
          }),
    responses,
  };
  return [`${TRPC_ENDPOINT}/${path}`, { [mutation ? "post" : "get"]: operation }] as const;
}

/** Every procedure of `router`, each at its own path. */
export function describeProcedures(router: AnyRouter): Omit<ApiDescription, "securitySchemes"> {
  const procedures = Object.entries(router._def.procedures as Record<string, AnyProcedure>);
  return {
    paths: Object.fromEntries(procedures.map(([path, procedure]) => describeProcedure(path, procedure))),
    schemas: { SuperjsonInputMeta: INPUT_META, TrpcError: TRPC_ERROR },
  };
}
