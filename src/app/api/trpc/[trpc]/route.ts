// tRPC through Next.js (`next dev`, and hosts that run Next themselves); `npm start` serves the same handler
// from its Node server without Next's request layer (src/serve.ts). Every method goes to the handler, as it does
// there: Next would answer the others itself (405 or 204), without the API's error body and request id.
export {
  handleTrpcRequest as DELETE,
  handleTrpcRequest as GET,
  handleTrpcRequest as OPTIONS,
  handleTrpcRequest as PATCH,
  handleTrpcRequest as POST,
  handleTrpcRequest as PUT,
} from "@/server/api/http-handler";
