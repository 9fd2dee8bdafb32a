// The app's own tRPC setup in production: an unexpected failure inside a real procedure reaches the client as a
// generic message with the request id, never the Prisma or SQL text, and is logged with that id.
import { vi } from "vitest";

vi.hoisted(() => {
  // Before any app module reads its configuration: this file runs the app as production does.
  Object.assign(process.env, { NODE_ENV: "production", LOG_LEVEL: "error" });
});

import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createUser, signIn } from "@/test/fixtures";
import { trpcRequest } from "@/test/http";
import { captureLogs } from "@/test/logs";

describe("an unexpected error in production", () => {
  it("is a generic INTERNAL_SERVER_ERROR naming the request id; the log has the cause", async () => {
    const { headers } = await signIn(await createUser());
    await db.$executeRawUnsafe("ALTER TABLE tasks RENAME TO tasks_gone");
    const logs = captureLogs();
    try {
      const response = await trpcRequest("task.list", {
        headers: { cookie: headers.get("cookie") ?? "", "x-request-id": "prod-err-1" },
      });
      const text = await response.text();
      expect(response.status).toBe(500);
      const body = JSON.parse(text) as { error: { json: { message: string; data: Record<string, unknown> } } };
      expect(body.error.json.message).toBe("Something went wrong on our side (request prod-err-1).");
      expect(body.error.json.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: "prod-err-1" });
      expect(body.error.json.data).not.toHaveProperty("stack");
      expect(text).not.toMatch(/tasks|relation|prisma|SELECT|\.ts\b/i);
      expect(
        logs
          .lines()
          .some(
            (line) =>
              line.requestId === "prod-err-1" && line.level === "error" && JSON.stringify(line).includes("tasks"),
          ),
      ).toBe(true);
    } finally {
      logs.stop();
      await db.$executeRawUnsafe("ALTER TABLE tasks_gone RENAME TO tasks");
    }
  });
});
