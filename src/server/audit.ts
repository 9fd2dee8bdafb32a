// The audit log of account events. It records who, what, when, from where; never a password, hash, token or secret.
import type { Prisma } from "@/generated/prisma/client";
import type { Database } from "@/server/db";
import { CLIENT_IP_HEADER, clientIpFrom } from "@/server/http/client-ip";

export const AUTH_EVENT_TYPES = [
  "sign-up",
  "sign-up-existing-email",
  "sign-in",
  "sign-in-failed",
  "sign-in-throttled",
  "sign-out",
  "email-verified",
  "password-reset-requested",
  "password-reset",
  "password-changed",
  "session-revoked",
  "role-changed",
  "banned",
  "unbanned",
  "account-exported",
  "account-deleted",
  "mail-retried",
  "second-factor-required",
  "second-factor-failed",
  "two-factor-enabled",
  "two-factor-disabled",
  "backup-codes-regenerated",
  "two-factor-reset",
  "reauthenticated",
  "email-change-requested",
  "email-changed",
  "passkey-added",
  "passkey-removed",
  "device-approved",
  "device-denied",
  "provider-linked",
  "provider-unlinked",
  "provider-link-refused",
  "organization-created",
  "organization-updated",
  "organization-deleted",
  "member-added",
  "member-removed",
  "member-role-changed",
  "invitation-sent",
  "invitation-accepted",
  "invitation-declined",
  "invitation-cancelled",
] as const;

export type AuthEventType = (typeof AUTH_EVENT_TYPES)[number];

export type AuthEventInput = {
  type: AuthEventType;
  userId?: string | null;
  headers?: Headers | null;
  detail?: Prisma.InputJsonObject;
};

export const authEventSelect = {
  id: true,
  type: true,
  ip: true,
  userAgent: true,
  detail: true,
  createdAt: true,
} satisfies Prisma.AuthEventSelect;

export async function recordAuthEvent(db: Pick<Database, "authEvent">, event: AuthEventInput): Promise<void> {
  const headers = event.headers;
  await db.authEvent.create({
    data: {
      type: event.type,
      userId: event.userId ?? null,
      ip: headers ? (headers.get(CLIENT_IP_HEADER) ?? clientIpFrom(headers)) : null,
      userAgent: headers?.get("user-agent")?.slice(0, 500) ?? null,
      detail: event.detail ?? {},
    },
  });
}
