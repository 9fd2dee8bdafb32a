"use client";
import { useEffect, useRef, useState } from "react";
import { BanForm } from "@/components/admin/ban-form";
import { UserAuthEvents } from "@/components/audit-events";
import { Button } from "@/components/ui/button";
import type { Failure } from "@/components/forms/form-validation";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { USER_ROLES } from "@/lib/validation/user";
import type { RouterInputs, RouterOutputs } from "@/trpc/react";

type AdminUser = RouterOutputs["user"]["list"]["items"][number];
type Role = (typeof USER_ROLES)[number];
/** Each change resolves once the list is refreshed: to null on success, or to why it failed. */
export type UserActions = {
  setRole: (input: RouterInputs["user"]["setRole"]) => Promise<Failure | null>;
  ban: (input: RouterInputs["user"]["ban"]) => Promise<Failure | null>;
  unban: (input: RouterInputs["user"]["unban"]) => Promise<Failure | null>;
  resetSecondFactor: (input: RouterInputs["user"]["resetSecondFactor"]) => Promise<Failure | null>;
};

export function UserRow({ user, viewerId, actions }: { user: AdminUser; viewerId: string; actions: UserActions }) {
  const isSelf = user.id === viewerId;
  const [panel, setPanel] = useState<"ban" | "activity" | null>(null);
  // A role picked in the list waits here for its confirmation.
  const [pickedRole, setPickedRole] = useState<Role | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const row = useRef<HTMLLIElement>(null);
  const refocus = useRef(false);
  const origin = useRef<Element | null>(null);
  const toggle = (next: "ban" | "activity") => setPanel((current) => (current === next ? null : next));
  const roleId = `role-${user.id}`;
  const errorId = `user-${user.id}-error`;
  const ownRoleId = `role-${user.id}-own`;

  /** One change of this user at a time; its controls are disabled meanwhile, and get focus back after. */
  async function change(action: () => Promise<Failure | null>, onSuccess?: () => void): Promise<Failure | null> {
    if (busy) return { message: "Another change to this user is still being made.", fieldErrors: {} };
    origin.current = document.activeElement;
    setBusy(true);
    setFailure(null);
    const result = await action();
    setBusy(false);
    setFailure(result);
    if (!result) onSuccess?.();
    refocus.current = true;
    return result;
  }

  // A disabled control loses focus, and a ban or unban swaps the button: give focus back once the row is idle.
  useEffect(() => {
    if (busy || !refocus.current) return;
    refocus.current = false;
    const focused = document.activeElement;
    if (focused && row.current?.contains(focused) && !focused.matches(":disabled")) return;
    const before =
      origin.current instanceof HTMLElement && row.current?.contains(origin.current) ? origin.current : null;
    (
      before ??
      row.current?.querySelector<HTMLElement>("[data-ban-toggle]") ??
      row.current?.querySelector<HTMLElement>("select")
    )?.focus();
  });

  return (
    <li ref={row} className="p-4" data-testid="admin-user" aria-busy={busy || undefined}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium">
            {user.name}
            {isSelf && <span className="text-sm font-normal text-slate-600 dark:text-slate-400"> (you)</span>}
          </p>
          <p className="break-all text-sm text-slate-600 dark:text-slate-400">{user.email}</p>
          <p className="mt-1 flex flex-wrap gap-2 text-xs">
            <span className="text-slate-600 dark:text-slate-400">
              joined <RelativeTime date={user.createdAt} />
            </span>
            <span className="text-slate-600 dark:text-slate-400">
              {user.lastActiveAt ? (
                <>
                  last active <RelativeTime date={user.lastActiveAt} />
                </>
              ) : (
                "not signed in anywhere"
              )}
            </span>
            {user.emailVerified ? (
              <span className="text-slate-600 dark:text-slate-400">email confirmed</span>
            ) : (
              <span className="font-medium text-amber-800 dark:text-amber-300">email not confirmed</span>
            )}
            {user.banned && (
              <span className="font-semibold text-red-700 dark:text-red-400">
                banned{user.banReason ? `: ${user.banReason}` : ""}
                {user.banExpires && (
                  <>
                    {" "}
                    (ends <RelativeTime date={user.banExpires} />)
                  </>
                )}
              </span>
            )}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor={roleId} className="sr-only">
            Role of {user.name}
          </label>
          <select
            id={roleId}
            value={pickedRole ?? user.role}
            disabled={busy || isSelf}
            aria-describedby={[failure ? errorId : "", isSelf ? ownRoleId : ""].filter(Boolean).join(" ") || undefined}
            onChange={(event) => {
              const role = event.target.value as Role;
              setPickedRole(role === user.role ? null : role);
            }}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm disabled:opacity-60 dark:border-slate-600 dark:bg-slate-900"
          >
            {USER_ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
          {isSelf && (
            <span id={ownRoleId} className="sr-only">
              Your own role is changed by another administrator.
            </span>
          )}
          {user.twoFactorEnabled && !isSelf && (
            <Button
              variant="secondary"
              className="min-h-9 px-3 py-1"
              disabled={busy}
              onClick={() => void change(() => actions.resetSecondFactor({ userId: user.id }))}
            >
              Reset two-factor<span className="sr-only"> of {user.name}</span>
            </Button>
          )}
          {user.banned ? (
            <Button
              variant="secondary"
              className="min-h-9 px-3 py-1"
              pending={busy}
              data-ban-toggle
              onClick={() => void change(() => actions.unban({ userId: user.id }))}
            >
              Unban<span className="sr-only"> {user.name}</span>
            </Button>
          ) : (
            !isSelf && (
              <Button
                variant="secondary"
                className="min-h-9 px-3 py-1"
                disabled={busy}
                data-ban-toggle
                aria-expanded={panel === "ban"}
                onClick={() => toggle("ban")}
              >
                Ban<span className="sr-only"> {user.name}</span>
              </Button>
            )
          )}
          <Button
            variant="ghost"
            className="min-h-9 px-3 py-1"
            aria-expanded={panel === "activity"}
            onClick={() => toggle("activity")}
          >
            Activity<span className="sr-only"> of {user.name}</span>
          </Button>
        </div>
      </div>
      {pickedRole && (
        <div
          role="group"
          aria-label={`Confirm the new role for ${user.name}`}
          className="mt-3 flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
        >
          <p className="grow">
            {pickedRole === "admin"
              ? `Make ${user.name} an administrator? They will be able to manage every account.`
              : `Make ${user.name} a user? They will no longer be able to manage accounts.`}
          </p>
          <Button
            className="min-h-9 px-3 py-1"
            pending={busy}
            onClick={() =>
              void change(
                () => actions.setRole({ userId: user.id, role: pickedRole }),
                () => {
                  setPickedRole(null);
                  // The confirmation is gone: focus goes back to the role it changed.
                  origin.current = row.current?.querySelector("select") ?? null;
                },
              )
            }
          >
            Change the role
          </Button>
          <Button
            variant="secondary"
            className="min-h-9 px-3 py-1"
            disabled={busy}
            onClick={() => {
              setPickedRole(null);
              row.current?.querySelector<HTMLElement>("select")?.focus();
            }}
          >
            Cancel
          </Button>
        </div>
      )}
      {failure && (
        <div id={errorId} className="mt-3">
          <Notice tone="error">
            The change to {user.name} was not made: {failure.message}
          </Notice>
        </div>
      )}
      {panel === "ban" && (
        <BanForm
          userId={user.id}
          onCancel={() => setPanel(null)}
          onBan={(input) =>
            change(
              () => actions.ban(input),
              () => setPanel(null),
            )
          }
        />
      )}
      {panel === "activity" && (
        <div className="mt-3 rounded-md bg-slate-50 p-3 dark:bg-slate-950">
          <UserAuthEvents userId={user.id} viewerId={viewerId} />
        </div>
      )}
    </li>
  );
}
