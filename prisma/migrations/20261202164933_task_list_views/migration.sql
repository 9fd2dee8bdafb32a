-- CreateIndex
CREATE INDEX "tasks_user_id_due_at_id_idx" ON "tasks"("user_id", "due_at", "id");

-- CreateIndex
CREATE INDEX "tasks_user_id_completed_due_at_id_idx" ON "tasks"("user_id", "completed", "due_at", "id");

-- CreateIndex
CREATE INDEX "tasks_user_id_priority_created_at_id_idx" ON "tasks"("user_id", "priority", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tasks_user_id_completed_priority_created_at_id_idx" ON "tasks"("user_id", "completed", "priority", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "tasks_title_trgm_idx" ON "tasks" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "tasks_description_trgm_idx" ON "tasks" USING GIN ("description" gin_trgm_ops);
