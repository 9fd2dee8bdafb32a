-- CreateIndex
CREATE INDEX "rate_limits_last_request_idx" ON "rate_limits"("last_request");
