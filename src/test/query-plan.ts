// The plan PostgreSQL chooses for a statement the app really sends: the statement is captured at the driver
// adapter (statement-counter.ts) while a procedure runs, then EXPLAINed with its own parameters. Plan tests
// assert on these nodes (index used, no Sort, no Seq Scan), which is deterministic where timing is not.
import { db } from "@/server/db";
import { statementsDuring } from "@/test/statement-counter";

export type PlanNode = {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  Plans?: PlanNode[];
};

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

/** Every node of the plan of the first statement sent during `run` whose SQL contains (or matches) `marker`. */
export async function planOf(run: () => Promise<unknown>, marker: string | RegExp): Promise<PlanNode[]> {
  const [plan] = await plansOf(run, marker);
  return plan as PlanNode[];
}

/** The plans (every node of each) of the statements sent during `run` whose SQL contains (or matches) `marker`. */
export async function plansOf(run: () => Promise<unknown>, marker: string | RegExp): Promise<PlanNode[][]> {
  const statements = await statementsDuring(run);
  const queries = statements.filter((statement) =>
    typeof marker === "string" ? statement.sql.includes(marker) : marker.test(statement.sql),
  );
  if (queries.length === 0) throw new Error(`no statement with ${marker}:\n${statements.map((s) => s.sql).join("\n")}`);
  const plans: PlanNode[][] = [];
  for (const query of queries) {
    const [row] = await db.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
      `EXPLAIN (FORMAT JSON) ${query.sql}`,
      ...query.args,
    );
    if (!row) throw new Error("EXPLAIN returned nothing");
    plans.push(flatten(row["QUERY PLAN"][0].Plan));
  }
  return plans;
}

export const nodeTypes = (plan: PlanNode[]) => plan.map((node) => node["Node Type"]);

/** The (Bitmap) Index (Only) Scan nodes that use `index`. */
export const scansOf = (plan: PlanNode[], index: string) =>
  plan.filter((node) => /Index (Only )?Scan$/.test(node["Node Type"]) && node["Index Name"] === index);

export const describePlan = (plan: PlanNode[]) => JSON.stringify(plan, null, 1);

/** A statement that reads tasks, as Prisma's builder writes it (`FROM "public"."tasks"`) or by hand (`FROM tasks`). */
export const READS_TASKS = /FROM ("public"\.)?"?tasks"?\s/;
