// Which space a task procedure works in: an organization's id, null for the personal space, or absent for the
// session's active organization (personal when it has none).
import { z } from "zod";

/** Better Auth's ids: letters, digits, - and _. */
export const organizationId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "Not an organization id");

export const spaceField = { organizationId: organizationId.nullable().optional() };

export const spaceInput = z.strictObject(spaceField).optional();

/** The admin view's list of organizations, newest first. */
export const organizationListInput = z
  .strictObject({
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).default(20),
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .default({ limit: 20 });
