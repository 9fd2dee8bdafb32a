"use client";
// Sends a second-factor code to the endpoint for its kind, with the session or the sign-in's challenge the browser
// holds, and says what went wrong in words. The auth client is downloaded when a code is sent, not with the page.
import { readSecondFactorCode, SECOND_FACTOR_CODE_HINT } from "@/lib/second-factor-code";

export type CodeResult = { ok: true } | { ok: false; field?: string; message: string; expired?: boolean };

export async function sendSecondFactorCode(
  typed: string,
  options: { trustDevice?: boolean } = {},
): Promise<CodeResult> {
  const code = readSecondFactorCode(typed);
  if (!code) return { ok: false, field: "code", message: SECOND_FACTOR_CODE_HINT };
  const { authClient, authErrorMessage } = await import("@/lib/auth-client");
  const { error } =
    code.kind === "totp"
      ? await authClient.twoFactor.verifyTotp({ code: code.code, trustDevice: options.trustDevice })
      : await authClient.twoFactor.verifyBackupCode({ code: code.code, trustDevice: options.trustDevice });
  if (!error) return { ok: true };
  switch (error.code) {
    case "INVALID_CODE":
    case "INVALID_BACKUP_CODE":
      return { ok: false, field: "code", message: "That code is not right. Check it and try again." };
    case "CODE_ALREADY_USED":
      return { ok: false, field: "code", message: error.message ?? "That code was already used." };
    case "INVALID_TWO_FACTOR_COOKIE":
    case "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE":
      return { ok: false, expired: true, message: "This sign-in has expired. Sign in again." };
    default:
      return {
        ok: false,
        field: error.status === 429 ? "code" : undefined,
        message: error.message ?? authErrorMessage(error),
      };
  }
}
