-- CreateEnum
CREATE TYPE "ConcernStatus" AS ENUM ('new', 'inProgress', 'handled');

-- AlterTable
ALTER TABLE "concern_report" ADD COLUMN     "handler_id" UUID,
ADD COLUMN     "status" "ConcernStatus" NOT NULL DEFAULT 'new',
ADD COLUMN     "status_at" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "concern_report_status_created_at_idx" ON "concern_report"("status", "created_at");

-- AddForeignKey
ALTER TABLE "concern_report" ADD CONSTRAINT "concern_report_handler_id_fkey" FOREIGN KEY ("handler_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

