-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'instructor';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ApplicationStatus" ADD VALUE 'awaitingConsent';
ALTER TYPE "ApplicationStatus" ADD VALUE 'consented';
ALTER TYPE "ApplicationStatus" ADD VALUE 'consentDeclined';
ALTER TYPE "ApplicationStatus" ADD VALUE 'noConsent';

-- AlterTable
ALTER TABLE "course" ADD COLUMN     "fee_ore" INTEGER;

-- AlterTable
ALTER TABLE "application" ADD COLUMN     "approved_at" TIMESTAMP(3),
ADD COLUMN     "group_id" UUID,
ADD COLUMN     "queue_reason" TEXT;

-- CreateTable
CREATE TABLE "consent_request" (
    "id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "manager_email" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "decision" TEXT,
    "comment" TEXT,
    "reminded_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "supervision_group" (
    "id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "supervision_group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "application_id" UUID NOT NULL,
    "amount_ore" INTEGER NOT NULL,
    "due_date" DATE NOT NULL,
    "issued_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMP(3),
    "reminded_at" TIMESTAMP(3),

    CONSTRAINT "invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "certificate" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "application_id" UUID NOT NULL,
    "holder_name" TEXT NOT NULL,
    "training_title" TEXT NOT NULL,
    "issued_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "document_counter" (
    "kind" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "document_counter_pkey" PRIMARY KEY ("kind","year")
);

-- CreateTable
CREATE TABLE "message_template" (
    "key" TEXT NOT NULL,
    "lang" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "sms" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "updated_by" TEXT,

    CONSTRAINT "message_template_pkey" PRIMARY KEY ("key","lang")
);

-- CreateIndex
CREATE UNIQUE INDEX "consent_request_application_id_key" ON "consent_request"("application_id");

-- CreateIndex
CREATE UNIQUE INDEX "consent_request_token_hash_key" ON "consent_request"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "supervision_group_course_id_name_key" ON "supervision_group"("course_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_number_key" ON "invoice"("number");

-- CreateIndex
CREATE INDEX "invoice_application_id_idx" ON "invoice"("application_id");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_number_key" ON "certificate"("number");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_application_id_key" ON "certificate"("application_id");

-- AddForeignKey
ALTER TABLE "application" ADD CONSTRAINT "application_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "supervision_group"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_request" ADD CONSTRAINT "consent_request_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "supervision_group" ADD CONSTRAINT "supervision_group_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

