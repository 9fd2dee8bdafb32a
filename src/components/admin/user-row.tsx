"use client";
import { useState } from "react";
import { BanForm } from "@/components/admin/ban-form";
import { UserAuthEvents } from "@/components/audit-events";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { USER_ROLES } from "@/lib/validation/user";
import type { RouterInputs, RouterOutputs } from "@/trpc/react";

type AdminUser = RouterOutputs["user"]["list"]["items"][number];
export type UserActions = {
  setRole: (input: RouterInputs["user"]["setRole"]) => void;
  ban: (input: RouterInputs["user"]["ban"]) => void;
  unban: (input: RouterInputs["user"]["unban"]) => void;
};

export function UserRow({ user, isSelf, actions }: { user: AdminUser; isSelf: boolean; actions: UserActions }) {
  const [panel, setPanel] = useState<"ban" | "activity" | null>(null);
  const toggle = (next: "ban" | "activity") => setPanel((current) => (current === next ? null : next));
  const roleId = `role-${user.id}`;

  return (
    <li className="p-4" data-testid="admin-user">
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
            {!user.emailVerified && <span className="font-medium text-amber-800 dark:text-amber-300">email not confirmed</span>}
            {user.banned && (
              <span className="font-semibold text-red-700 dark:text-red-400">
                banned{user.banReason ? `: ${user.banReason}` : ""}
                {user.banExpires && (
                  <>
                    {" "}
                    (until {user.banExpires.toLocaleDateString()})
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
            value={user.role}
            onChange={(event) => actions.setRole({ userId: user.id, role: event.target.value as (typeof USER_ROLES)[number] })}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
          >
            {USER_ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
          {user.banned ? (
            <Button variant="secondary" className="min-h-9 px-3 py-1" onClick={() => actions.unban({ userId: user.id })}>
              Unban<span className="sr-only"> {user.name}</span>
            </Button>
          ) : (
            !isSelf && (
              <Button variant="secondary" className="min-h-9 px-3 py-1" aria-expanded={panel === "ban"} onClick={() => toggle("ban")}>
                Ban<span className="sr-only"> {user.name}</span>
              </Button>
            )
          )}
          <Button variant="ghost" className="min-h-9 px-3 py-1" aria-expanded={panel === "activity"} onClick={() => toggle("activity")}>
            Activity<span className="sr-only"> of {user.name}</span>
          </Button>
        </div>
      </div>
      {panel === "ban" && (
        <BanForm
          userId={user.id}
          onCancel={() => setPanel(null)}
          onBan={(input) => {
            actions.ban(input);
            setPanel(null);
          }}
        />
      )}
      {panel === "activity" && (
        <div className="mt-3 rounded-md bg-slate-50 p-3 dark:bg-slate-950">
          <UserAuthEvents userId={user.id} />
        </div>
      )}
    </li>
  );
}
