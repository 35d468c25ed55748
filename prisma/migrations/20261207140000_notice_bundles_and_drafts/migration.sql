-- CreateTable
CREATE TABLE "case_notice" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "application_id" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "vars" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_at" TIMESTAMP(3) NOT NULL,
    "delivery_key" TEXT,
    "decided_at" TIMESTAMP(3),
    "delivered_at" TIMESTAMP(3),

    CONSTRAINT "case_notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application_draft" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "answers" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "application_draft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "case_notice_key_key" ON "case_notice"("key");

-- CreateIndex
CREATE INDEX "case_notice_application_id_decided_at_idx" ON "case_notice"("application_id", "decided_at");

-- CreateIndex
CREATE INDEX "case_notice_delivered_at_due_at_idx" ON "case_notice"("delivered_at", "due_at");

-- CreateIndex
CREATE INDEX "application_draft_expires_at_idx" ON "application_draft"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "application_draft_person_id_course_id_key" ON "application_draft"("person_id", "course_id");

-- AddForeignKey
ALTER TABLE "case_notice" ADD CONSTRAINT "case_notice_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "application_draft" ADD CONSTRAINT "application_draft_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "application_draft" ADD CONSTRAINT "application_draft_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

