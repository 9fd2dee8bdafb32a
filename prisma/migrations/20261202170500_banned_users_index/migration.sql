-- Written by hand (the schema cannot express a partial index): user.list's banned filter walks the banned users
-- newest first, from the cursor, without reading the others.
CREATE INDEX "users_banned_created_at_id_idx" ON "users"("created_at", "id") WHERE "banned";
