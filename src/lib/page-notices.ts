// The notices a page shows for a `reason` in its URL. Anyone can write that URL, so a reason is looked up in a Map:
// a property every object inherits ("__proto__", "constructor", "toString") is no notice, not a crash.

const LANDING = new Map([
  ["account-deleted", "Your account is deleted, with all its tasks and sessions. Thank you for using Taskforge."],
]);

const SIGN_IN = new Map([
  ["session-ended", "Your session has ended. Sign in again to continue."],
  ["signed-out", "You are signed out."],
]);

/** A search parameter as Next gives it: absent, once, or repeated. Only a single value names a notice. */
type SearchParam = string | string[] | undefined;

const noticeIn = (notices: ReadonlyMap<string, string>, reason: SearchParam) =>
  typeof reason === "string" ? notices.get(reason) : undefined;

/** The landing page's notice for `?reason=`, if it names one. */
export const landingNotice = (reason: SearchParam) => noticeIn(LANDING, reason);

/** The sign-in page's notice for `?reason=`, if it names one. */
export const signInNotice = (reason: SearchParam) => noticeIn(SIGN_IN, reason);
