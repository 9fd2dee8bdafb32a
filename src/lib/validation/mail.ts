// Mail outbox inputs, shared by the mail router and the admin page.
import { z } from "zod";

export const troubledMailInput = z.strictObject({ limit: z.number().int().min(1).max(100).default(50) });

export const retryMailInput = z.strictObject({ id: z.uuid() });
