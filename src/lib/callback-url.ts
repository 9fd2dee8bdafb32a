// Where to go after signing in: only a path on this site, so a link cannot send a user elsewhere.
export const DEFAULT_AFTER_SIGN_IN = "/tasks";

const BASE = "http://same-origin.invalid";

/** `value` if it is a relative path on this origin, else the default (open redirects are refused). */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return DEFAULT_AFTER_SIGN_IN;
  try {
    const url = new URL(value, BASE);
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Dot-segments resolve after the checks above: "/..//evil.example" becomes "//evil.example".
    if (url.origin !== BASE || path.startsWith("//")) return DEFAULT_AFTER_SIGN_IN;
    return path;
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
}

export function signInPath(returnTo: string): string {
  return `/sign-in?callbackUrl=${encodeURIComponent(safeCallbackUrl(returnTo))}`;
}
