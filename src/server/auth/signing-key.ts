// The JWT signing key must exist before traffic: Better Auth creates one on first use, and concurrent first
// token requests on a fresh database would each create their own.
import { auth } from "@/server/auth";

export async function ensureSigningKey(): Promise<void> {
  await auth.api.getJwks(); // creates the first key when there is none
}
