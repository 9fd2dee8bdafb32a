-- CreateTable
CREATE TABLE "organization_task_counts" (
    "organization_id" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "open_with_due" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "organization_task_counts_pkey" PRIMARY KEY ("organization_id")
);

-- AddForeignKey
ALTER TABLE "organization_task_counts" ADD CONSTRAINT "organization_task_counts_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand from here on (the schema cannot express these).

-- task.stats of an organization reads these counts and only its open tasks not yet due, as a user's does
-- (task_counts): without them it counted every task of the organization on each call, which grows with it.
CREATE INDEX "tasks_open_organization_id_due_at_idx" ON "tasks"("organization_id", "due_at")
  WHERE (NOT completed AND due_at IS NOT NULL);

-- Kept exact like task_counts: statement-level triggers on tasks read the changed rows from transition tables, so
-- a bulk statement updates each organization's counts once; an UPDATE that changes no count writes nothing; a row
-- is made with the organization's first task and goes with the organization, hence a plain UPDATE on delete (an
-- upsert would re-create the row of an organization being deleted).
CREATE FUNCTION "organization_task_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE "organization_task_counts" AS c
    SET "total" = c."total" - d."total",
        "completed" = c."completed" - d."completed",
        "open_with_due" = c."open_with_due" - d."open_with_due"
    FROM (
      SELECT "organization_id",
             count(*) AS "total",
             count(*) FILTER (WHERE "completed") AS "completed",
             count(*) FILTER (WHERE NOT "completed" AND "due_at" IS NOT NULL) AS "open_with_due"
      FROM old_rows WHERE "organization_id" IS NOT NULL GROUP BY "organization_id"
    ) AS d
    WHERE c."organization_id" = d."organization_id";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "organization_task_counts" AS c ("organization_id", "total", "completed", "open_with_due")
    SELECT "organization_id",
           count(*),
           count(*) FILTER (WHERE "completed"),
           count(*) FILTER (WHERE NOT "completed" AND "due_at" IS NOT NULL)
    FROM new_rows WHERE "organization_id" IS NOT NULL
    GROUP BY "organization_id"
    ORDER BY "organization_id" -- rows locked in one order, so two statements cannot deadlock
    ON CONFLICT ("organization_id") DO UPDATE
    SET "total" = c."total" + EXCLUDED."total",
        "completed" = c."completed" + EXCLUDED."completed",
        "open_with_due" = c."open_with_due" + EXCLUDED."open_with_due";
  ELSE -- UPDATE: what the new rows count, minus what the old ones counted
    INSERT INTO "organization_task_counts" AS c ("organization_id", "total", "completed", "open_with_due")
    SELECT "organization_id", sum("total"), sum("completed"), sum("open_with_due")
    FROM (
      SELECT "organization_id", 1 AS "total", "completed"::int AS "completed",
             (NOT "completed" AND "due_at" IS NOT NULL)::int AS "open_with_due"
      FROM new_rows WHERE "organization_id" IS NOT NULL
      UNION ALL
      SELECT "organization_id", -1, -("completed"::int), -((NOT "completed" AND "due_at" IS NOT NULL)::int)
      FROM old_rows WHERE "organization_id" IS NOT NULL
    ) AS changes
    GROUP BY "organization_id"
    HAVING sum("total") <> 0 OR sum("completed") <> 0 OR sum("open_with_due") <> 0
    ORDER BY "organization_id"
    ON CONFLICT ("organization_id") DO UPDATE
    SET "total" = c."total" + EXCLUDED."total",
        "completed" = c."completed" + EXCLUDED."completed",
        "open_with_due" = c."open_with_due" + EXCLUDED."open_with_due";
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION "task_counts_reset"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "task_counts";
  DELETE FROM "organization_task_counts";
  RETURN NULL;
END
$$;

CREATE TRIGGER "organization_task_counts_insert" AFTER INSERT ON "tasks"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "organization_task_counts_apply"();
CREATE TRIGGER "organization_task_counts_update" AFTER UPDATE ON "tasks"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION "organization_task_counts_apply"();
CREATE TRIGGER "organization_task_counts_delete" AFTER DELETE ON "tasks"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "organization_task_counts_apply"();

-- The counts of the organizations' tasks that exist now. CREATE TRIGGER has locked tasks against writes until this
-- migration commits, so no change can slip between the triggers and this count.
INSERT INTO "organization_task_counts" ("organization_id", "total", "completed", "open_with_due")
SELECT "organization_id",
       count(*),
       count(*) FILTER (WHERE "completed"),
       count(*) FILTER (WHERE NOT "completed" AND "due_at" IS NOT NULL)
FROM "tasks"
WHERE "organization_id" IS NOT NULL
GROUP BY "organization_id";
