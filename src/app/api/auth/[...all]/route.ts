// Better Auth through Next.js (`next dev`, and hosts that run Next themselves); `npm start` serves the same
// handler from its Node server without Next's request layer (src/serve.ts). Every method goes to the handler, as
// it does there: Next would answer the others itself (405 or 204), without the API's error body and request id.
export {
  handleAuthRequest as DELETE,
  handleAuthRequest as GET,
  handleAuthRequest as OPTIONS,
  handleAuthRequest as PATCH,
  handleAuthRequest as POST,
  handleAuthRequest as PUT,
} from "@/server/auth/http-handler";
