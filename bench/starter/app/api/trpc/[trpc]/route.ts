// The starters' route handler: the fetch adapter, a context with auth.api.getSession per request.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { type ContextSession, createInnerContext } from "@/server/api/context";
import { starterAuth } from "../../../../auth";

function handler(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      const session = await starterAuth.api.getSession({ headers: req.headers });
      // The default instance's session type lacks the plugin fields the app's type names; the rows are the same.
      return createInnerContext({ session: session as ContextSession | null, headers: req.headers });
    },
  });
}

export { handler as GET, handler as POST };
