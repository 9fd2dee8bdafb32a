// Better Auth's admin plugin, for what it adds underneath: the role and ban fields, banned users refused at sign-in,
// and their sessions refused. Its own HTTP endpoints (/admin/set-role, /admin/ban-user, /admin/impersonate-user,
// /admin/set-user-password, …) are switched off: they would bypass the user router's rules (the last admin, the
// password policy) and its audit log. Administration goes through `user.*` in tRPC only.
import { admin } from "better-auth/plugins";

export const adminPlugin = admin({ defaultRole: "user", adminRoles: ["admin"] });

/** Every path the admin plugin serves, for Better Auth's `disabledPaths` (answered 404). */
export const adminPluginPaths: string[] = Object.values(adminPlugin.endpoints).map((endpoint) => endpoint.path);
