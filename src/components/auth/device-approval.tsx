"use client";
// Approving the command line's sign-in (RFC 8628): the code it printed is checked here (which ties it to the person
// signed in), then approved, which needs a recent sign-in (the confirm-it-is-you prompt), or denied.
import { type FormEvent, useState } from "react";
import { FormMessageNotice } from "@/components/forms/form-message";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useAuthAction } from "@/components/settings/use-auth-action";
import { DEVICE_CLIENTS } from "@/lib/device-authorization";

type Request = { userCode: string; clientId: string; scope: string };

/** XXXX-XXXX, as people read codes; the server accepts it with or without the dash. */
const shown = (code: string) =>
  code
    .replace(/[^a-z0-9]/gi, "")
    .toUpperCase()
    .replace(/^(.{4})(.+)$/, "$1-$2");

export function DeviceApproval({ initialCode }: { initialCode: string }) {
  const { form, prompt, act } = useAuthAction();
  const [request, setRequest] = useState<Request | null>(null);
  const [outcome, setOutcome] = useState<"approved" | "denied" | null>(null);

  function lookUp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const userCode = String(new FormData(event.currentTarget).get("code") ?? "").trim();
    if (!userCode) return form.setMessage({ tone: "error", text: "Enter the code your terminal shows." });
    void form.run(async () => {
      const { authClient, authErrorMessage } = await import("@/lib/auth-client");
      const { data, error } = await authClient.device({ query: { user_code: userCode } });
      if (error) return form.setMessage({ tone: "error", text: codeProblem(error.status, authErrorMessage(error)) });
      if (data.status !== "pending")
        return form.setMessage({ tone: "error", text: "This code has been used already. Run sign-in again." });
      if (!data.client_id)
        return form.setMessage({ tone: "error", text: "This code belongs to someone else's sign-in." });
      form.setMessage(null);
      setRequest({ userCode, clientId: data.client_id, scope: data.scope ?? "" });
    });
  }

  if (outcome)
    return (
      <p role="status" className="text-sm">
        {outcome === "approved"
          ? "Approved. The command line is signed in as you: go back to your terminal."
          : "Denied. The command line was told no, and nothing was signed in."}
      </p>
    );

  if (!request)
    return (
      <form noValidate onSubmit={lookUp} className="space-y-4">
        <FormMessageNotice message={form.message} />
        <TextField
          label="Code"
          name="code"
          hint="Eight letters and digits, as your terminal shows them."
          defaultValue={initialCode ? shown(initialCode) : ""}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={20}
          required
        />
        <Button type="submit" className="w-full" pending={form.pending}>
          Continue
        </Button>
      </form>
    );

  const decide = (decision: "approve" | "deny") =>
    act(
      (client) => client.device[decision]({ userCode: request.userCode }),
      undefined,
      () => setOutcome(decision === "approve" ? "approved" : "denied"),
    );

  return (
    <div className="space-y-4">
      <FormMessageNotice message={form.message} />
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="font-medium">Code</dt>
        <dd className="font-mono text-base tracking-wider" data-testid="device-code">
          {shown(request.userCode)}
        </dd>
        <dt className="font-medium">Asked by</dt>
        <dd>{DEVICE_CLIENTS[request.clientId] ?? request.clientId}</dd>
        <dt className="font-medium">It gets</dt>
        <dd>
          A session as you, until you sign it out (Settings, Sessions){request.scope ? ` (${request.scope})` : ""}
        </dd>
      </dl>
      <p className="text-sm">
        Approve only if you started this sign-in yourself, just now, and your terminal shows the same code. Someone who
        sent you this link could otherwise use your account.
      </p>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Button className="w-full" pending={form.pending} onClick={() => decide("approve")}>
          Approve
        </Button>
        <Button variant="secondary" className="w-full" disabled={form.pending} onClick={() => decide("deny")}>
          Deny
        </Button>
      </div>
      {prompt}
    </div>
  );
}

/** What to tell a person whose code did not work. */
function codeProblem(status: number, message: string): string {
  if (status === 429) return message;
  if (/expired/i.test(message)) return "This code has expired. Run sign-in again in your terminal for a new one.";
  return "This code is not right. Check it against your terminal, or run sign-in again for a new one.";
}
