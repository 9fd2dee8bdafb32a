-- Written by hand: pg_trgm, for the trigram indexes of user.list's search below. PostgreSQL ships it (contrib;
-- a trusted extension, so the database owner may create it); PGlite loads it (src/server/db/pglite-extensions.ts).
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateTable
CREATE TABLE "task_counts" (
    "user_id" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "open_with_due" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "task_counts_pkey" PRIMARY KEY ("user_id")
);

-- CreateIndex
CREATE INDEX "tasks_user_id_completed_created_at_id_idx" ON "tasks"("user_id", "completed", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "users_email_trgm_idx" ON "users" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "users_name_trgm_idx" ON "users" USING GIN ("name" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "task_counts" ADD CONSTRAINT "task_counts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand: task.stats counts the open tasks not yet due, through this index of open tasks with a due date.
CREATE INDEX "tasks_open_user_id_due_at_idx" ON "tasks"("user_id", "due_at") WHERE (NOT completed AND due_at IS NOT NULL);

-- Written by hand (the schema cannot express triggers): task_counts is kept exact by statement-level triggers
-- on tasks, which read the changed rows from transition tables, so a bulk INSERT … SELECT updates each user's
-- counts once. An UPDATE that changes no count (a title edit) writes nothing. A user's row is created with their
-- first task and goes with the user (ON DELETE CASCADE); a delete that cascades from the user finds it gone or
-- going, hence a plain UPDATE there (an upsert would re-create the row of a user being deleted).
CREATE FUNCTION "task_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE "task_counts" AS c
    SET "total" = c."total" - d."total",
        "completed" = c."completed" - d."completed",
        "open_with_due" = c."open_with_due" - d."open_with_due"
    FROM (
      SELECT "user_id",
             count(*) AS "total",
             count(*) FILTER (WHERE "completed") AS "completed",
             count(*) FILTER (WHERE NOT "completed" AND "due_at" IS NOT NULL) AS "open_with_due"
      FROM old_rows GROUP BY "user_id"
    ) AS d
    WHERE c."user_id" = d."user_id";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "task_counts" AS c ("user_id", "total", "completed", "open_with_due")
    SELECT "user_id",
           count(*),
           count(*) FILTER (WHERE "completed"),
           count(*) FILTER (WHERE NOT "completed" AND "due_at" IS NOT NULL)
    FROM new_rows
    GROUP BY "user_id"
    ORDER BY "user_id" -- rows locked in one order, so two statements for several users cannot deadlock
    ON CONFLICT ("user_id") DO UPDATE
    SET "total" = c."total" + EXCLUDED."total",
        "completed" = c."completed" + EXCLUDED."completed",
        "open_with_due" = c."open_with_due" + EXCLUDED."open_with_due";
  ELSE -- UPDATE: what the new rows count, minus what the old ones counted
    INSERT INTO "task_counts" AS c ("user_id", "total", "completed", "open_with_due")
    SELECT "user_id", sum("total"), sum("completed"), sum("open_with_due")
    FROM (
      SELECT "user_id", 1 AS "total", "completed"::int AS "completed",
             (NOT "completed" AND "due_at" IS NOT NULL)::int AS "open_with_due"
      FROM new_rows
      UNION ALL
      SELECT "user_id", -1, -("completed"::int), -((NOT "completed" AND "due_at" IS NOT NULL)::int)
      FROM old_rows
    ) AS changes
    GROUP BY "user_id"
    HAVING sum("total") <> 0 OR sum("completed") <> 0 OR sum("open_with_due") <> 0
    ORDER BY "user_id"
    ON CONFLICT ("user_id") DO UPDATE
    SET "total" = c."total" + EXCLUDED."total",
        "completed" = c."completed" + EXCLUDED."completed",
        "open_with_due" = c."open_with_due" + EXCLUDED."open_with_due";
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION "task_counts_reset"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "task_counts";
  RETURN NULL;
END
$$;

-- Transition tables allow one event per trigger.
CREATE TRIGGER "task_counts_insert" AFTER INSERT ON "tasks"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "task_counts_apply"();
CREATE TRIGGER "task_counts_update" AFTER UPDATE ON "tasks"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "task_counts_apply"();
CREATE TRIGGER "task_counts_delete" AFTER DELETE ON "tasks"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "task_counts_apply"();
CREATE TRIGGER "task_counts_truncate" AFTER TRUNCATE ON "tasks"
  FOR EACH STATEMENT EXECUTE FUNCTION "task_counts_reset"();

-- The counts of the tasks that exist now. CREATE TRIGGER has locked tasks against writes until this migration
-- commits, so no change can slip between the triggers and this count.
INSERT INTO "task_counts" ("user_id", "total", "completed", "open_with_due")
SELECT "user_id",
       count(*),
       count(*) FILTER (WHERE "completed"),
       count(*) FILTER (WHERE NOT "completed" AND "due_at" IS NOT NULL)
FROM "tasks"
GROUP BY "user_id";
