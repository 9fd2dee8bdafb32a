// A second-factor code as a person types it: six digits from an authenticator app (spaces allowed), or one of the
// backup codes (ten letters and digits, shown as xxxxx-xxxxx). One field takes either.
export type SecondFactorCode = { kind: "totp" | "backup-code"; code: string };

export function readSecondFactorCode(typed: string): SecondFactorCode | null {
  const compact = typed.replace(/\s+/g, "");
  if (/^\d{6}$/.test(compact)) return { kind: "totp", code: compact };
  if (/^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$/.test(compact)) {
    return {
      kind: "backup-code",
      code: compact.includes("-") ? compact : `${compact.slice(0, 5)}-${compact.slice(5)}`,
    };
  }
  return null;
}

export const SECOND_FACTOR_CODE_HINT = "The 6-digit code from your authenticator app, or one of your backup codes.";
