// The strength rule in the browser, loaded when a password is being chosen: zxcvbn's dictionaries are about
// 1.6 MB of JavaScript (0.8 MB gzipped), so pages do not ship them in their first load. The rule itself is the
// one in password-strength.ts, which the server imports directly.
import type { checkPasswordStrength } from "@/lib/password-strength";

export type PasswordChecker = typeof checkPasswordStrength;

let loading: Promise<PasswordChecker> | undefined;
let loaded: PasswordChecker | null = null;

/** The checker, downloaded once per page; a failed download is tried again on the next call. */
export function loadPasswordChecker(): Promise<PasswordChecker> {
  loading ??= import("@/lib/password-strength").then(
    (module) => (loaded = module.checkPasswordStrength),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The checker if it is already here, else null. */
export function loadedPasswordChecker(): PasswordChecker | null {
  return loaded;
}

/** Starts the download early (on focus of a new-password field), so the meter is ready at the first keystroke. */
export function preloadPasswordChecker(): void {
  loadPasswordChecker().catch(() => undefined);
}
