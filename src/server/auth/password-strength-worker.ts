// The worker thread behind password-strength-thread.ts: answers each { id, password, context } with the rule's verdict.
import { parentPort } from "node:worker_threads";
import { checkPasswordStrength } from "@/lib/password-strength";

export type StrengthRequest = { id: number; password: string; context: (string | undefined)[] };

parentPort?.on("message", ({ id, password, context }: StrengthRequest) => {
  parentPort?.postMessage({ id, strength: checkPasswordStrength(password, context) });
});
