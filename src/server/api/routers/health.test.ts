import { describe, expect, it } from "vitest";
import { createTestCaller } from "@/test/fixtures";

describe("health.check", () => {
  it("answers anyone with the database status", async () => {
    const caller = await createTestCaller(null);
    expect(await caller.health.check()).toEqual({ status: "ok", db: "ok" });
  });
});
