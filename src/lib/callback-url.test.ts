// Callback URLs that pass the string checks and are refused only by where they resolve (the common cases are in
// src/proxy.test.ts).
import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeCallbackUrl } from "@/lib/callback-url";

describe("safeCallbackUrl", () => {
  // The URL parser drops tabs and line breaks, so these become "//evil.example" after the string checks.
  it.each(["/\t/evil.example", "/\n/evil.example", "/\r/evil.example/x"])(
    "refuses %j, which resolves to another origin",
    (input) => {
      expect(safeCallbackUrl(input)).toBe(DEFAULT_AFTER_SIGN_IN);
    },
  );

  it("refuses a path without its leading slash, which would resolve against the page it is on", () => {
    expect(safeCallbackUrl("settings")).toBe(DEFAULT_AFTER_SIGN_IN);
  });
});
