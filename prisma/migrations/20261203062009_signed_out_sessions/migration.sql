-- CreateTable
CREATE TABLE "signed_out_sessions" (
    "token_hash" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "signed_out_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "signed_out_sessions_pkey" PRIMARY KEY ("token_hash")
);

-- CreateIndex
CREATE INDEX "signed_out_sessions_expires_at_idx" ON "signed_out_sessions"("expires_at");

-- CreateIndex
CREATE INDEX "signed_out_sessions_user_id_idx" ON "signed_out_sessions"("user_id");

-- AddForeignKey
ALTER TABLE "signed_out_sessions" ADD CONSTRAINT "signed_out_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
