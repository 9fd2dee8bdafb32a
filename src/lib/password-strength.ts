// The password rule shared by the server (sign-up, reset, change) and the live meter in the UI. The server runs it in
// a worker thread (src/server/auth/password-strength-thread.ts): zxcvbn's matching costs up to seconds of CPU.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/password-limits";

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/** zxcvbn score (0–4) a password needs: 3 is "safely unguessable" against offline attacks on slow hashes. */
export const PASSWORD_MIN_SCORE = 3;

/**
 * zxcvbn judges the first 64 characters only. Its cost grows with the length (seconds of CPU for a random
 * 128-character password), and the cut only ever refuses more: whoever guesses a password has guessed its first 64
 * characters too, so a password is at least as strong as its prefix, and a prefix that passes means a password that
 * passes. A long password with a guessable start is refused, with the same reason as its start alone.
 */
export const STRENGTH_CHECKED_LENGTH = 64;

/**
 * What the user told us (name, email) is matched as a dictionary: each value is read up to this length (an email is
 * at most 254 characters), and its words no longer than STRENGTH_CHECKED_LENGTH, since a longer word cannot appear
 * in the characters zxcvbn sees.
 */
export const CONTEXT_CHECKED_LENGTH = 254;

const zxcvbn = new ZxcvbnFactory({
  translations: english.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...english.dictionary },
  maxLength: STRENGTH_CHECKED_LENGTH,
});

export type PasswordStrength = {
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  /** Why the password is refused, in words a person can act on; null when acceptable. */
  warning: string | null;
  suggestions: string[];
};

/** The refusal for a password too short or too long, null when its length is allowed; it costs nothing to compute. */
export function passwordLengthRefusal(password: string): PasswordStrength | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return { score: 0, acceptable: false, warning: `Use at least ${PASSWORD_MIN_LENGTH} characters.`, suggestions: [] };
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return { score: 0, acceptable: false, warning: `Use at most ${PASSWORD_MAX_LENGTH} characters.`, suggestions: [] };
  }
  return null;
}

/** Whole values, their words, and their words run together ("Alice Smith" → "alicesmith"), each at most as long as zxcvbn's input. */
function contextWords(context: (string | undefined)[]): string[] {
  return context.flatMap((full) => {
    if (!full) return [];
    const value = full.slice(0, CONTEXT_CHECKED_LENGTH);
    const words = value
      .toLowerCase()
      .split(/[@.\s_+-]+/)
      .filter(Boolean);
    return [value, ...words, words.join("")].filter((word) => word.length <= STRENGTH_CHECKED_LENGTH);
  });
}

/** `context` holds what the user told us (name, email): a password built from them is weak. */
export function checkPasswordStrength(password: string, context: (string | undefined)[] = []): PasswordStrength {
  const lengthRefusal = passwordLengthRefusal(password);
  if (lengthRefusal) return lengthRefusal;
  const result = zxcvbn.check(password.slice(0, STRENGTH_CHECKED_LENGTH), contextWords(context));
  const acceptable = result.score >= PASSWORD_MIN_SCORE;
  return {
    score: result.score,
    acceptable,
    warning: acceptable ? null : result.feedback.warning || "This password is too easy to guess.",
    suggestions: result.feedback.suggestions,
  };
}
