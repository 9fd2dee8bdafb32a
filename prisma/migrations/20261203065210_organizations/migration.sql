-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "active_organization_id" TEXT;

-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "created_by_id" TEXT,
ADD COLUMN     "organization_id" TEXT,
ALTER COLUMN "user_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "organizations" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "logo" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,
    "metadata" TEXT,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "members" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "inviter_id" TEXT NOT NULL,

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "organizations_slug_key" ON "organizations"("slug");

-- CreateIndex
CREATE INDEX "members_user_id_idx" ON "members"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "members_organization_id_user_id_key" ON "members"("organization_id", "user_id");

-- CreateIndex
CREATE INDEX "invitations_organization_id_idx" ON "invitations"("organization_id");

-- CreateIndex
CREATE INDEX "invitations_email_idx" ON "invitations"("email");

-- CreateIndex
CREATE INDEX "tasks_organization_id_created_at_id_idx" ON "tasks"("organization_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tasks_organization_id_completed_created_at_id_idx" ON "tasks"("organization_id", "completed", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tasks_organization_id_due_at_id_idx" ON "tasks"("organization_id", "due_at", "id");

-- CreateIndex
CREATE INDEX "tasks_organization_id_completed_due_at_id_idx" ON "tasks"("organization_id", "completed", "due_at", "id");

-- CreateIndex
CREATE INDEX "tasks_organization_id_priority_created_at_id_idx" ON "tasks"("organization_id", "priority", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tasks_organization_id_completed_priority_created_at_id_idx" ON "tasks"("organization_id", "completed", "priority", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tasks_created_by_id_idx" ON "tasks"("created_by_id");

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "members" ADD CONSTRAINT "members_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "members" ADD CONSTRAINT "members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_inviter_id_fkey" FOREIGN KEY ("inviter_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand from here on (the schema cannot express these).

-- A task lives in exactly one space: its owner's personal one or one organization.
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_one_space" CHECK (("user_id" IS NULL) <> ("organization_id" IS NULL));

-- task_counts counts personal tasks only: an organization's tasks (no user_id) are left out.
CREATE OR REPLACE FUNCTION "task_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
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
      FROM old_rows WHERE "user_id" IS NOT NULL GROUP BY "user_id"
    ) AS d
    WHERE c."user_id" = d."user_id";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "task_counts" AS c ("user_id", "total", "completed", "open_with_due")
    SELECT "user_id",
           count(*),
           count(*) FILTER (WHERE "completed"),
           count(*) FILTER (WHERE NOT "completed" AND "due_at" IS NOT NULL)
    FROM new_rows WHERE "user_id" IS NOT NULL
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
      FROM new_rows WHERE "user_id" IS NOT NULL
      UNION ALL
      SELECT "user_id", -1, -("completed"::int), -((NOT "completed" AND "due_at" IS NOT NULL)::int)
      FROM old_rows WHERE "user_id" IS NOT NULL
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

-- Every organization keeps an owner. Checked when a transaction that changed an owner's role or removed an owner
-- commits (deferred, so deleting an organization, which removes its members first, is checked once it is gone),
-- with the organization's row locked first: two owners demoting (or removing) each other at once are serialised,
-- and the second finds no other owner left and is refused. A removal that goes with its organization or its user is
-- not refused: the organization is gone, or the account is being deleted.
CREATE FUNCTION "members_keep_an_owner"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF 'owner' <> ALL (string_to_array(OLD."role", ',')) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND 'owner' = ANY (string_to_array(NEW."role", ',')) THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM "organizations" WHERE "id" = OLD."organization_id" FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM "users" WHERE "id" = OLD."user_id") THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM "members"
    WHERE "organization_id" = OLD."organization_id" AND 'owner' = ANY (string_to_array("role", ','))
  ) THEN
    RAISE EXCEPTION 'an organization keeps at least one owner' USING ERRCODE = 'P0001', HINT = 'last-owner';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "members_keep_an_owner" AFTER UPDATE OF "role" OR DELETE ON "members"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "members_keep_an_owner"();
