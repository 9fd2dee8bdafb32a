// The procedures routers are built from, each a named stack of middlewares (in middlewares/, in the order a call
// meets them):
// - publicProcedure: anyone; a cookie-authenticated mutation must be same-site;
// - protectedProcedure: a valid session (cookie, bearer session token or JWT); mutations limited per user;
// - sensitiveProcedure: and a fresh session (signed in within 10 minutes), for actions an unattended device must not take;
// - adminProcedure: and the role admin, re-read from the database on every call (with a second factor when
//   REQUIRE_ADMIN_MFA is on; mutations with a fresh session);
// - orgProcedure: a valid session, and the space the call works in (personal, or an organization the caller is a
//   member of, membership and role re-read on every call); each procedure then names its permission with
//   requirePermission({ task: ["read"] }) from the one table in src/lib/permissions.ts.
import { limitMutations } from "@/server/api/middlewares/mutation-limit";
import { requireAdmin } from "@/server/api/middlewares/require-admin";
import { resolveSpace } from "@/server/api/middlewares/require-permission";
import { requireFreshSession } from "@/server/api/middlewares/require-fresh-session";
import { requireSession } from "@/server/api/middlewares/require-session";
import { sameSiteMutations } from "@/server/api/middlewares/same-site";
import { baseProcedure } from "@/server/api/trpc";

export const publicProcedure = baseProcedure.use(sameSiteMutations);

export const protectedProcedure = publicProcedure.use(requireSession).use(limitMutations);

export const sensitiveProcedure = protectedProcedure.use(requireFreshSession);

export const adminProcedure = protectedProcedure.use(requireAdmin);

export const orgProcedure = protectedProcedure.use(resolveSpace);

export { requirePermission } from "@/server/api/middlewares/require-permission";
