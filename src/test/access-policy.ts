// Who may call which procedure: the list a reviewer reads. A procedure named in PUBLIC_PROCEDURES may be called by
// anyone, one in ADMIN_PROCEDURES by admins only, and every other procedure of appRouter by any signed-in user (its
// own rules then decide which rows that user may touch). Adding a name here is a decision the review must see. The
// lists are enforced, not only written down: src/server/api/root.test.ts walks every procedure of the router and
// expects anonymous callers refused unless it is public and non-admins refused when it is admin-only, and
// src/server/api/properties.test.ts fails when a generated call is refused or let through against these lists.

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
];
