"use client";
// A settings action through Better Auth's client: a recent sign-in asked for when needed (the confirm-it-is-you
// prompt), what went wrong said in the form's message, and the page refreshed once done. The auth client is
// downloaded on the first action, not with the page.
import { useRouter } from "next/navigation";
import { orFreshSessionRequired, ReauthenticationCancelled, useFreshSession } from "@/components/auth/reauthentication";
import { useFormState } from "@/components/forms/use-form-state";

type AuthClient = (typeof import("@/lib/auth-client"))["authClient"];
type Answer = { error: { code?: string; status: number; message?: string } | null } | undefined;

export function useAuthAction() {
  const router = useRouter();
  const form = useFormState();
  const { withFreshSession, prompt } = useFreshSession();

  /** Runs `call`; on success says `done` (none: the browser is leaving the page) and runs `then`. */
  function act(call: (client: AuthClient) => Promise<Answer>, done?: string, then?: () => void) {
    void form.run(async () => {
      const { authClient, authErrorMessage } = await import("@/lib/auth-client");
      try {
        const answer = await withFreshSession(async () =>
          orFreshSessionRequired(call(authClient).then((result) => ({ error: result?.error ?? null }))),
        );
        if (answer.error) return form.setMessage({ tone: "error", text: authErrorMessage(answer.error) });
        then?.();
        if (!done) return;
        form.setMessage({ tone: "success", text: done });
        router.refresh();
      } catch (failure) {
        if (failure instanceof ReauthenticationCancelled)
          return form.setMessage({ tone: "info", text: failure.message });
        throw failure;
      }
    });
  }

  return { form, prompt, act };
}
