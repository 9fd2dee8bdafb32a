// tRPC in server components: a caller with the request's cookies, prefetch into a per-request QueryClient,
// guards that fetch the signed-in user or redirect to sign-in, and unexpected errors logged with the request id.
import "server-only";
import { createHydrationHelpers } from "@trpc/react-query/rsc";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { notFound, redirect, unstable_rethrow } from "next/navigation";
import { cache } from "react";
import { signInPath } from "@/lib/callback-url";
import { type AppRouter, createCaller } from "@/server/api/root";
import { logUnexpectedError } from "@/server/api/error-formatter";
import { createTRPCContext } from "@/server/api/context";
import { logger } from "@/server/logger";
import { createQueryClient } from "@/trpc/query-client";

/** One context per request, built from its headers so the session cookie is forwarded. */
const createContext = cache(async () => createTRPCContext({ headers: new Headers(await headers()) }));
const getQueryClient = cache(() => createQueryClient());

/**
 * Next's own signals thrown through a procedure (its cause): a page found dynamic while `next build` prerenders it,
 * a redirect. Next handles them; they are not failures. `unstable_rethrow` is Next's test for them.
 */
function isNextSignal(error: unknown): boolean {
  try {
    unstable_rethrow(error);
    return false;
  } catch {
    return true;
  }
}

/** Unexpected errors are logged with the request id, as over HTTP. */
const caller = createCaller(createContext, {
  onError: ({ error, path, ctx }) => {
    if (!isNextSignal(error)) logUnexpectedError(ctx?.log ?? logger, error, path);
  },
});

export const { trpc: api, HydrateClient } = createHydrationHelpers<AppRouter>(caller, getQueryClient);

function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCError && error.code === "UNAUTHORIZED";
}

/** The signed-in user, or null for a visitor; once per request. */
export const getViewer = cache(async () => {
  try {
    return await api.user.me();
  } catch (error) {
    if (isUnauthorized(error)) return null;
    throw error;
  }
});

/** The signed-in user's organizations and the active one (the space the header and the tasks page show); once per request. */
export const getSpaces = cache(() => api.organization.mine());

export async function requireUser(returnTo: string) {
  const viewer = await getViewer();
  if (!viewer) redirect(signInPath(returnTo));
  return viewer;
}

/** Administration pages do not exist for anyone else: a 404, not a hint that they are there. */
export async function requireAdmin(returnTo: string) {
  const viewer = await requireUser(returnTo);
  if (viewer.role !== "admin") notFound();
  return viewer;
}
