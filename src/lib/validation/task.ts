// Task inputs: one definition shared by the task router and the task forms.
import { z } from "zod";
import { spaceField } from "@/lib/validation/organization";
import { storableDate, storableText } from "@/lib/validation/storable";

export const TASK_PRIORITIES = ["low", "medium", "high"] as const;
export const PAGE_SIZE_MAX = 100;

export const taskTitle = storableText().trim().min(1, "Title is required").max(200, "Title is at most 200 characters");
export const taskDescription = storableText().trim().max(5000, "Description is at most 5,000 characters");
export const taskPriority = z.enum(TASK_PRIORITIES);
export const taskId = z.uuid("Not a task id");
/** Versions count from 1 in a 32-bit column: a larger number could never match, and the query would fail. */
export const taskVersion = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

export const pageInput = {
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(PAGE_SIZE_MAX).default(20),
  // @trpc/react-query's useInfiniteQuery sends the direction of every page it fetches; lists read forward only.
  direction: z.enum(["forward", "backward"]).optional(),
};

export const TASK_SORTS = ["newest", "due", "priority"] as const;
export const TASK_DUE_FILTERS = ["overdue", "today"] as const;
export const TASK_SEARCH_MAX = 100;

/**
 * `due` keeps the open tasks past their due date (overdue) or due within the next 24 hours (today: a due date picked
 * in the web UI is the end of that day), soonest first, so it goes with the due-date order only.
 */
export const taskListInput = z
  .strictObject({
    ...pageInput,
    ...spaceField,
    completed: z.boolean().optional(),
    sort: z.enum(TASK_SORTS).default("newest"),
    due: z.enum(TASK_DUE_FILTERS).optional(),
    search: storableText().trim().max(TASK_SEARCH_MAX, "Search for at most 100 characters").optional(),
  })
  .refine((input) => !input.due || input.sort === "due", {
    message: "Overdue and due-today tasks are listed by due date",
    path: ["sort"],
  })
  .default({ limit: 20, sort: "newest" });

export const taskCreateInput = z.strictObject({
  ...spaceField,
  title: taskTitle,
  description: taskDescription.optional(),
  priority: taskPriority.optional(),
  dueAt: storableDate().nullable().optional(),
});

export const taskUpdateInput = z.strictObject({
  ...spaceField,
  id: taskId,
  version: taskVersion,
  title: taskTitle.optional(),
  description: taskDescription.optional(),
  completed: z.boolean().optional(),
  priority: taskPriority.optional(),
  dueAt: storableDate().nullable().optional(),
});

export const taskIdInput = z.strictObject({ ...spaceField, id: taskId });
