// TOTP codes as an authenticator app computes them from the secret an enrolment shows (RFC 6238 over RFC 4226,
// written out here rather than taken from the library under test). No app imports: the browser tests use it too.
import { createHmac } from "node:crypto";

const STEP_MS = 30_000;

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** The secret of an otpauth:// URI, or a key as typed into an app (base32, RFC 4648), as bytes. */
function secretOf(uriOrKey: string): Buffer {
  const secret = uriOrKey.startsWith("otpauth:") ? new URL(uriOrKey).searchParams.get("secret") : uriOrKey.trim();
  if (!secret) throw new Error(`no secret in ${uriOrKey}`);
  const bits = [...secret.replace(/=+$/, "")].map((char) => BASE32.indexOf(char).toString(2).padStart(5, "0")).join("");
  return Buffer.from(bits.match(/.{8}/g)?.map((byte) => Number.parseInt(byte, 2)) ?? []);
}

/** HOTP (RFC 4226): six digits from HMAC-SHA1 of the counter. */
function hotp(key: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = (mac.at(-1) ?? 0) & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/**
 * The TOTP code of the current 30 s step, or of the step `offset` steps away: the server accepts the steps either
 * side of the current one, so -1, 0 and 1 give three different codes valid now.
 */
export async function totpCode(uriOrKey: string, offset = 0): Promise<string> {
  return hotp(secretOf(uriOrKey), Math.floor(Date.now() / STEP_MS) + offset);
}
