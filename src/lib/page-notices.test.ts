// A page's notice comes from its URL, which anyone can write: names every object inherits are no notice.
import { describe, expect, it } from "vitest";
import { landingNotice, signInNotice } from "@/lib/page-notices";

const INHERITED = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "__defineGetter__",
];

describe.each([
  ["the landing page", landingNotice, "account-deleted"],
  ["the sign-in page", signInNotice, "signed-out"],
])("%s's ?reason=", (_, noticeFor, known) => {
  it("names its notice", () => {
    expect(noticeFor(known)).toEqual(expect.any(String));
  });

  it("is no notice for a property name every object inherits, an unknown reason or a repeated parameter", () => {
    for (const reason of [...INHERITED, "", "unknown", undefined, [known, known], [known]]) {
      expect(noticeFor(reason)).toBeUndefined();
    }
  });
});
