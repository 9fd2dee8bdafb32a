// The one permission table: what each organization role may do. Procedures (orgProcedure, requirePermission),
// Better Auth's organization endpoints and the web UI all read it; no permission is written anywhere else.
// No server imports: components import it too.
import { createAccessControl } from "better-auth/plugins/access";

export const statements = {
  task: ["read", "create", "update", "delete"],
  member: ["create", "update", "delete"],
  invitation: ["create", "cancel"],
  organization: ["update", "delete"],
} as const;

export const accessControl = createAccessControl(statements);

const viewer = accessControl.newRole({ task: ["read"] });
const member = accessControl.newRole({ task: ["read", "create", "update"] });
const admin = accessControl.newRole({
  task: ["read", "create", "update", "delete"],
  member: ["create", "update", "delete"],
  invitation: ["create", "cancel"],
  organization: ["update"],
});
const owner = accessControl.newRole({
  task: ["read", "create", "update", "delete"],
  member: ["create", "update", "delete"],
  invitation: ["create", "cancel"],
  organization: ["update", "delete"],
});

export const orgRoles = { owner, admin, member, viewer };
export type OrgRole = keyof typeof orgRoles;
export const ORG_ROLES = ["owner", "admin", "member", "viewer"] as const satisfies readonly OrgRole[];

type Statements = typeof statements;
/** Some actions on some resources, e.g. `{ task: ["delete"] }`. */
export type Permission = { readonly [R in keyof Statements]?: readonly Statements[R][number][] };

export function isOrgRole(role: string): role is OrgRole {
  return (ORG_ROLES as readonly string[]).includes(role);
}

/**
 * Whether a member's role string (Better Auth stores several roles comma-separated) grants every action asked for.
 * An unknown role grants nothing.
 */
export function roleAllows(role: string, permission: Permission): boolean {
  return role
    .split(",")
    .map((name) => name.trim())
    .some((name) => isOrgRole(name) && orgRoles[name].authorize(permission as Record<string, string[]>).success);
}
