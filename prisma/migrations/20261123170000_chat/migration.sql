-- CreateEnum
CREATE TYPE "ChatStatus" AS ENUM ('waiting', 'active', 'closed');

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'counsellor';

-- CreateTable
CREATE TABLE "chat_conversation" (
    "id" UUID NOT NULL,
    "visitor_key_hash" TEXT NOT NULL,
    "status" "ChatStatus" NOT NULL DEFAULT 'waiting',
    "counsellor_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "assigned_at" TIMESTAMP(3),
    "closed_at" TIMESTAMP(3),
    "closed_reason" TEXT,
    "last_visitor_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "transcript_deleted_at" TIMESTAMP(3),
    "last_seq" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "chat_conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_message" (
    "id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "sender" TEXT NOT NULL,
    "author_id" UUID,
    "body" TEXT NOT NULL,
    "client_key" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_duty" (
    "person_id" UUID NOT NULL,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_duty_pkey" PRIMARY KEY ("person_id")
);

-- CreateTable
CREATE TABLE "chat_block" (
    "visitor_key_hash" TEXT NOT NULL,
    "blocked_by_id" UUID NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_block_pkey" PRIMARY KEY ("visitor_key_hash")
);

-- CreateTable
CREATE TABLE "chat_survey_answer" (
    "id" UUID NOT NULL,
    "rating" INTEGER NOT NULL,
    "answered_on" DATE NOT NULL,

    CONSTRAINT "chat_survey_answer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "concern_report" (
    "id" UUID NOT NULL,
    "case_number" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "concern_report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "chat_conversation_status_created_at_idx" ON "chat_conversation"("status", "created_at");

-- CreateIndex
CREATE INDEX "chat_conversation_counsellor_id_status_idx" ON "chat_conversation"("counsellor_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "chat_message_conversation_id_seq_key" ON "chat_message"("conversation_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "chat_message_conversation_id_client_key_key" ON "chat_message"("conversation_id", "client_key");

-- CreateIndex
CREATE UNIQUE INDEX "concern_report_case_number_key" ON "concern_report"("case_number");

-- AddForeignKey
ALTER TABLE "chat_conversation" ADD CONSTRAINT "chat_conversation_counsellor_id_fkey" FOREIGN KEY ("counsellor_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_message" ADD CONSTRAINT "chat_message_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "chat_conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_duty" ADD CONSTRAINT "chat_duty_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "concern_report" ADD CONSTRAINT "concern_report_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

