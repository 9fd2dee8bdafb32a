// Better Auth through Next.js (`next dev`, and hosts that run Next themselves); `npm start` serves the same
// handler from its Node server without Next's request layer (src/serve.ts).
export { handleAuthRequest as GET, handleAuthRequest as POST } from "@/server/auth/http-handler";
