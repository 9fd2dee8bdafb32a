// Better Auth plugin: a sign-in from a device the account has not signed in from before earns the owner a mail
// (device and approximate time, the address only in part). "Device" is the browser and system without versions
// (deviceFamily), compared with the account's recent sign-ins in the audit log; the first sign-in of an account
// earns none. It runs after the other plugins' hooks, so the sign-in of this request is already recorded, and only
// for a sign-in that finished (one stopped at the second factor is told once the code is right).
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware, isAPIError } from "better-auth/api";
import { SIGN_IN_METHODS } from "@/server/auth/audit-hooks";
import { CODE_ENDPOINTS } from "@/server/auth/second-factor";
import type { Database } from "@/server/db";
import { deviceFamily } from "@/server/device";
import { type Mail, messages } from "@/server/email/messages";
import { CLIENT_IP_HEADER } from "@/server/http/client-ip";

/** How many recent sign-ins a device is looked for in. */
const RECENT_SIGN_INS = 50;

/** "203.0.113.x", "2001:db8:85a3::/48": enough to recognise a network, not a machine. */
export function partialAddress(ip: string | null | undefined): string | null {
  if (!ip) return null;
  if (ip.includes(".") && !ip.includes(":")) return `${ip.split(".").slice(0, 3).join(".")}.x`;
  const groups = ip.split(":").filter(Boolean).slice(0, 3);
  return groups.length ? `${groups.join(":")}::/48` : null;
}

/** "2 Dec 2026, about 16:40 UTC": the time to the nearest ten minutes. */
export function approximateTime(at: Date): string {
  const rounded = new Date(Math.round(at.getTime() / 600_000) * 600_000);
  const day = rounded.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const time = rounded.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return `${day}, about ${time} UTC`;
}

const SIGN_IN_PATHS: ReadonlySet<string> = new Set([...Object.keys(SIGN_IN_METHODS), ...Object.keys(CODE_ENDPOINTS)]);

export function newDeviceNotice({
  db,
  queueMail,
}: {
  db: Database;
  queueMail: (mail: Mail) => Promise<unknown>;
}): BetterAuthPlugin {
  return {
    id: "new-device-notice",
    hooks: {
      after: [
        {
          matcher: (ctx) => SIGN_IN_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const made = ctx.context.newSession;
            if (!made || isAPIError(ctx.context.returned)) return;
            const userAgent = ctx.headers?.get("user-agent") ?? null;
            const family = deviceFamily(userAgent);
            const recent = await db.authEvent.findMany({
              where: { userId: made.user.id, type: "sign-in" },
              orderBy: { createdAt: "desc" },
              take: RECENT_SIGN_INS + 1,
              select: { userAgent: true },
            });
            // This sign-in's own event is among them: one of this family does not count.
            const families = recent.map((event) => deviceFamily(event.userAgent));
            const own = families.indexOf(family);
            if (own >= 0) families.splice(own, 1);
            if (families.length === 0 || families.includes(family)) return;
            const ip = ctx.headers?.get(CLIENT_IP_HEADER) ?? null;
            await queueMail(
              messages.newDevice(made.user.email, made.user.name, {
                device: family,
                when: approximateTime(new Date()),
                network: partialAddress(ip),
              }),
            );
          }),
        },
      ],
    },
  };
}
