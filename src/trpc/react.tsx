"use client";
// The React side of tRPC: typed hooks (`api.task.list.useQuery`), one batching link with superjson.
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { type ReactNode, useState } from "react";
import superjson from "superjson";
import { signInPath } from "@/lib/callback-url";
import type { AppRouter } from "@/server/api/root";
import { createQueryClient } from "@/trpc/query-client";

export const api = createTRPCReact<AppRouter>();
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Must match the server's cap on calls per HTTP request. */
const MAX_BATCH_SIZE = 10;

export function errorCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
}

/** A session that ends (signed out elsewhere, revoked, banned) sends this tab to sign-in at its next call. */
function signInAgainOnUnauthorized(error: Error) {
  if (errorCode(error) !== "UNAUTHORIZED") return;
  const here = `${window.location.pathname}${window.location.search}`;
  // A full load, so nothing of the ended session's data stays in the page's memory.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`${signInPath(here)}&reason=session-ended`);
}

let browserQueryClient: QueryClient | undefined;
function getQueryClient() {
  // On the server every render gets its own client; in the browser one lives for the page's lifetime.
  if (typeof window === "undefined") return createQueryClient();
  return (browserQueryClient ??= createQueryClient(signInAgainOnUnauthorized));
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    api.createClient({
      links: [httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: MAX_BATCH_SIZE })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <api.Provider client={trpcClient} queryClient={queryClient}>
        {children}
      </api.Provider>
    </QueryClientProvider>
  );
}
