import { describe, expect, it } from "vitest";
import { parseTaskView, TASK_PAGES_MAX, taskListInput, taskViewHref } from "@/components/tasks/task-view";

describe("the task list's view in the URL", () => {
  it("reads back what it writes", () => {
    const view = { show: "open", sort: "priority", q: "rent", pages: 3 } as const;
    const href = taskViewHref(view);
    expect(href).toBe("/tasks?show=open&sort=priority&q=rent&pages=3");
    expect(parseTaskView(Object.fromEntries(new URL(href, "http://x").searchParams))).toEqual(view);
    expect(taskViewHref(parseTaskView({}))).toBe("/tasks");
  });

  it("overdue and due today are read by due date, whatever the URL says", () => {
    expect(parseTaskView({ show: "overdue", sort: "priority" })).toMatchObject({ sort: "due" });
    expect(taskListInput(parseTaskView({ show: "today" }))).toEqual({ limit: 20, sort: "due", due: "today" });
    expect(taskViewHref(parseTaskView({ show: "today", sort: "due" }))).toBe("/tasks?show=today");
  });

  it("ignores what it does not know and bounds the rest", () => {
    expect(
      parseTaskView({ show: "constructor", sort: ["due", "priority"], pages: "999", q: ` ${"x".repeat(150)} ` }),
    ).toEqual({
      show: "all",
      sort: "due",
      q: "x".repeat(100),
      pages: TASK_PAGES_MAX,
    });
    expect(parseTaskView({ pages: "-2" }).pages).toBe(1);
  });
});
