// tRPC through Next.js (`next dev`, and hosts that run Next themselves); `npm start` serves the same handler
// from its Node server without Next's request layer (src/serve.ts).
export { handleTrpcRequest as GET, handleTrpcRequest as POST } from "@/server/api/http-handler";
