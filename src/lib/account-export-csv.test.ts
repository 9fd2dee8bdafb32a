import { describe, expect, it } from "vitest";
import { accountExportCsv, csvCell } from "@/lib/account-export-csv";

describe("the CSV export", () => {
  it("quotes commas, quotes and line breaks, and writes dates as ISO and objects as JSON", () => {
    expect(csvCell('Buy "milk", eggs')).toBe('"Buy ""milk"", eggs"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(new Date("2026-12-02T10:00:00Z"))).toBe("2026-12-02T10:00:00.000Z");
    expect(csvCell({ reason: "x" })).toBe('"{""reason"":""x""}"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(false)).toBe("false");
  });

  it("keeps text that a spreadsheet would run as a formula as text", () => {
    for (const formula of ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx"]) {
      expect(csvCell(formula).replace(/^"/, "")).toMatch(/^'/);
    }
    expect(csvCell(-1)).toBe("-1");
  });

  it("has a table per part, each under its name and a header row", () => {
    const csv = accountExportCsv({
      exportedAt: new Date("2026-12-02T10:00:00Z"),
      profile: { id: "u1", name: "Sam" },
      tasks: [
        { id: "t1", title: "Pay rent", dueAt: null },
        { id: "t2", title: "=1+1", dueAt: new Date("2026-12-03T00:00:00Z") },
      ],
      sessions: [],
      authEvents: [{ type: "sign-in", detail: {} }],
    });
    expect(csv.split("\r\n")).toEqual([
      "Exported",
      "exportedAt",
      "2026-12-02T10:00:00.000Z",
      "",
      "Profile",
      "id,name",
      "u1,Sam",
      "",
      "Tasks",
      "id,title,dueAt",
      "t1,Pay rent,",
      "t2,'=1+1,2026-12-03T00:00:00.000Z",
      "",
      "Sessions",
      "",
      "",
      "Activity",
      "type,detail",
      "sign-in,{}",
      "",
    ]);
  });
});
