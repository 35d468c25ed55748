-- CreateEnum
CREATE TYPE "AuditAction" AS ENUM ('caseOpened', 'personSearch', 'caseExported', 'caseAction');

-- AlterTable
ALTER TABLE "application" ADD COLUMN     "erased_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "audit_entry" (
    "id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "action" "AuditAction" NOT NULL,
    "application_id" UUID,
    "case_number" TEXT,
    "reason" TEXT NOT NULL,
    "search_terms" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "archive_package" (
    "id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "case_number" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "archive_package_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_entry_created_at_idx" ON "audit_entry"("created_at");

-- CreateIndex
CREATE INDEX "audit_entry_actor_id_created_at_idx" ON "audit_entry"("actor_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_entry_application_id_created_at_idx" ON "audit_entry"("application_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "archive_package_application_id_key" ON "archive_package"("application_id");

-- CreateIndex
CREATE INDEX "application_closed_at_idx" ON "application"("closed_at");

-- AddForeignKey
ALTER TABLE "audit_entry" ADD CONSTRAINT "audit_entry_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "archive_package" ADD CONSTRAINT "archive_package_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

