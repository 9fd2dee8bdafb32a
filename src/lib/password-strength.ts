// The password rule shared by the server (sign-up, reset, change) and the live meter in the UI.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/password-limits";

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/** zxcvbn score (0–4) a password needs: 3 is "safely unguessable" against offline attacks on slow hashes. */
export const PASSWORD_MIN_SCORE = 3;

const zxcvbn = new ZxcvbnFactory({
  translations: english.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...english.dictionary },
});

export type PasswordStrength = {
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  /** Why the password is refused, in words a person can act on; null when acceptable. */
  warning: string | null;
  suggestions: string[];
};

/** `context` holds what the user told us (name, email): a password built from them is weak. */
export function checkPasswordStrength(password: string, context: (string | undefined)[] = []): PasswordStrength {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return { score: 0, acceptable: false, warning: `Use at least ${PASSWORD_MIN_LENGTH} characters.`, suggestions: [] };
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return { score: 0, acceptable: false, warning: `Use at most ${PASSWORD_MAX_LENGTH} characters.`, suggestions: [] };
  }
  // Whole values, their words, and their words run together ("Alice Smith" → "alicesmith").
  const userInputs = context.flatMap((value) => {
    if (!value) return [];
    const words = value.toLowerCase().split(/[@.\s_+-]+/).filter(Boolean);
    return [value, ...words, words.join("")];
  });
  const result = zxcvbn.check(password, userInputs);
  const acceptable = result.score >= PASSWORD_MIN_SCORE;
  return {
    score: result.score,
    acceptable,
    warning: acceptable ? null : result.feedback.warning || "This password is too easy to guess.",
    suggestions: result.feedback.suggestions,
  };
}
