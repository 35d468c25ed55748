-- CreateEnum
CREATE TYPE "SeatOfferStatus" AS ENUM ('pending', 'accepted', 'declined', 'expired');

-- CreateEnum
CREATE TYPE "SurveyKind" AS ENUM ('sessionEvaluation', 'progress', 'preMeasurement', 'postMeasurement', 'childBehaviour', 'courseEvaluation');

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'guide';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ApplicationStatus" ADD VALUE 'offered';
ALTER TYPE "ApplicationStatus" ADD VALUE 'notCompleted';

-- AlterTable
ALTER TABLE "application" ADD COLUMN     "closed_at" TIMESTAMP(3),
ADD COLUMN     "current_module" INTEGER,
ADD COLUMN     "guide_id" UUID,
ADD COLUMN     "last_active_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "seat_offer" (
    "id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "status" "SeatOfferStatus" NOT NULL DEFAULT 'pending',
    "expires_at" TIMESTAMP(3) NOT NULL,
    "batch_key" TEXT NOT NULL,
    "answered_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "seat_offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "updated_by" TEXT,

    CONSTRAINT "setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "material" (
    "id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "session_id" UUID,
    "module_number" INTEGER,
    "title" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "mime_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "uploaded_by_id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "material_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "course_module" (
    "id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "course_module_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "diary_note" (
    "id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "module_number" INTEGER NOT NULL,
    "author_id" UUID NOT NULL,
    "from_guide" BOOLEAN NOT NULL DEFAULT false,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "diary_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_definition" (
    "id" UUID NOT NULL,
    "kind" "SurveyKind" NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "questions" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_definition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_invitation" (
    "id" UUID NOT NULL,
    "survey_id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "session_id" UUID,
    "module_number" INTEGER,
    "token" TEXT NOT NULL,
    "used" BOOLEAN NOT NULL DEFAULT false,
    "reminded_at" TIMESTAMP(3),
    "dedupe_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_response" (
    "id" UUID NOT NULL,
    "survey_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "session_id" UUID,
    "module_number" INTEGER,
    "answers" JSONB NOT NULL,
    "pairing_code" TEXT,
    "answered_on" DATE NOT NULL,

    CONSTRAINT "survey_response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_feed" (
    "person_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_feed_pkey" PRIMARY KEY ("person_id")
);

-- CreateTable
CREATE TABLE "attendance" (
    "session_id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "present" BOOLEAN NOT NULL,
    "marked_by_id" UUID NOT NULL,
    "marked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attendance_pkey" PRIMARY KEY ("session_id","application_id")
);

-- CreateIndex
CREATE INDEX "seat_offer_course_id_status_idx" ON "seat_offer"("course_id", "status");

-- CreateIndex
CREATE INDEX "seat_offer_batch_key_idx" ON "seat_offer"("batch_key");

-- CreateIndex
CREATE UNIQUE INDEX "seat_offer_application_id_course_id_key" ON "seat_offer"("application_id", "course_id");

-- CreateIndex
CREATE INDEX "material_course_id_idx" ON "material"("course_id");

-- CreateIndex
CREATE UNIQUE INDEX "course_module_course_id_number_key" ON "course_module"("course_id", "number");

-- CreateIndex
CREATE INDEX "diary_note_application_id_created_at_idx" ON "diary_note"("application_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "survey_definition_kind_version_key" ON "survey_definition"("kind", "version");

-- CreateIndex
CREATE UNIQUE INDEX "survey_invitation_token_key" ON "survey_invitation"("token");

-- CreateIndex
CREATE UNIQUE INDEX "survey_invitation_dedupe_key_key" ON "survey_invitation"("dedupe_key");

-- CreateIndex
CREATE INDEX "survey_invitation_application_id_idx" ON "survey_invitation"("application_id");

-- CreateIndex
CREATE INDEX "survey_response_course_id_session_id_idx" ON "survey_response"("course_id", "session_id");

-- CreateIndex
CREATE INDEX "survey_response_pairing_code_idx" ON "survey_response"("pairing_code");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_feed_token_hash_key" ON "calendar_feed"("token_hash");

-- CreateIndex
CREATE INDEX "application_status_kind_submitted_at_idx" ON "application"("status", "kind", "submitted_at");

-- CreateIndex
CREATE INDEX "application_guide_id_idx" ON "application"("guide_id");

-- AddForeignKey
ALTER TABLE "application" ADD CONSTRAINT "application_guide_id_fkey" FOREIGN KEY ("guide_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seat_offer" ADD CONSTRAINT "seat_offer_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seat_offer" ADD CONSTRAINT "seat_offer_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "material" ADD CONSTRAINT "material_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "material" ADD CONSTRAINT "material_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "course_session"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_module" ADD CONSTRAINT "course_module_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "diary_note" ADD CONSTRAINT "diary_note_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_invitation" ADD CONSTRAINT "survey_invitation_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "survey_definition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_invitation" ADD CONSTRAINT "survey_invitation_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "survey_definition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_feed" ADD CONSTRAINT "calendar_feed_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "course_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

