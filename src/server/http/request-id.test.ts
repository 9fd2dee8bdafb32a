import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requestIdFrom } from "@/server/http/request-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

describe("requestIdFrom", () => {
  it("keeps an incoming id that is a short token (letters, digits, . _ : -)", () => {
    fc.assert(
      fc.property(fc.stringMatching(SANE), (incoming) => {
        expect(requestIdFrom(incoming)).toBe(incoming);
      }),
    );
  });

  it("replaces anything else (too long, other characters, several values, none) with a new UUID", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ minLength: 129, maxLength: 300 }).map((s) => s.replace(/./g, "a")),
        ),
        (incoming) => {
          fc.pre(!SANE.test(incoming));
          expect(requestIdFrom(incoming)).toMatch(UUID);
        },
      ),
    );
    for (const incoming of [undefined, null, "", ["a", "b"]]) expect(requestIdFrom(incoming)).toMatch(UUID);
  });
});
