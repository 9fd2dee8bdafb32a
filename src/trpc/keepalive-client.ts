// A tRPC client whose requests outlive the page (fetch's keepalive): for a change that must still reach the server
// when the tab is closed or reloaded, such as a delete whose undo window had not ended yet. Bodies are small.
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";

export const keepaliveClient = createTRPCClient<AppRouter>({
  links: [
    httpLink({
      url: "/api/trpc",
      transformer: superjson,
      fetch: (url, options) => fetch(url, { ...(options as RequestInit), keepalive: true }),
    }),
  ],
});
