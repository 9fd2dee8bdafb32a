// Who may call which procedure: the list a reviewer reads. A procedure named in PUBLIC_PROCEDURES may be called by
// anyone, one in ADMIN_PROCEDURES by admins only, and every other procedure of appRouter by any signed-in user (its
// own rules then decide which rows that user may touch). Adding a name here is a decision the review must see. The
// lists are enforced, not only written down: src/server/api/root.test.ts walks every procedure of the router and
// expects anonymous callers refused unless it is public and non-admins refused when it is admin-only, and
// src/server/api/properties.test.ts fails when a generated call is refused or let through against these lists.

import type { Permission } from "@/lib/permissions";

/** Procedures anyone may call, signed in or not. */
export const PUBLIC_PROCEDURES: readonly string[] = ["health.check"];

/** Procedures only admins may call. */
export const ADMIN_PROCEDURES: readonly string[] = [
  "user.authEventsOf",
  "user.list",
  "user.setRole",
  "user.ban",
  "user.unban",
  "user.resetSecondFactor",
  "mail.troubled",
  "mail.retry",
  "organization.list",
];

/**
 * Procedures that work in an organization's space when asked to, and the permission each needs there (from the one
 * table, src/lib/permissions.ts). The matrix test (src/server/api/org-permissions.test.ts) calls each as every role,
 * a non-member, an anonymous caller and an app admin who is not a member, and expects what the table grants; the
 * router-walking test refuses an `organizationId` to every procedure not listed here.
 */
export const ORG_PROCEDURES: Readonly<Record<string, Permission>> = {
  "task.list": { task: ["read"] },
  "task.byId": { task: ["read"] },
  "task.stats": { task: ["read"] },
  "task.create": { task: ["create"] },
  "task.update": { task: ["update"] },
  "task.delete": { task: ["delete"] },
};
