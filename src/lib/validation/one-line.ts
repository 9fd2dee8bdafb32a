// Text shown as one line (a name in a mail's greeting, a page heading): no line or paragraph break, no control
// character, no bidirectional override that would reorder what follows it.

/** Control characters (\t \r \n among them), line and paragraph separators, and the bidirectional controls. */
const NOT_ONE_LINE = /[\p{Cc}\p{Zl}\p{Zp}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export const ONE_LINE_MESSAGE = "Use one line of text, without line breaks or control characters";

/** Whether `value` is one line: nothing NOT_ONE_LINE matches. */
export function isOneLine(value: string): boolean {
  return !NOT_ONE_LINE.test(value);
}

/**
 * `value` made one line for display: each run of those characters and other white space becomes one space, and the
 * ends are trimmed. For text stored before the rule, or from anywhere the rule did not run.
 */
export function asOneLine(value: string): string {
  return value.replace(new RegExp(`(?:${NOT_ONE_LINE.source}|\\s)+`, "gu"), " ").trim();
}
