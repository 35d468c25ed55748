-- Issue 17: the chat's anonymous outcomes and its counted data.

-- CreateEnum
CREATE TYPE "ChatOutcomeField" AS ENUM ('topic', 'ageBand', 'result');

-- CreateEnum
CREATE TYPE "ChatTallyKind" AS ENUM ('answered', 'abandoned', 'closedNotice');

-- AlterTable: conversations closed before this have no outcome to record, so no reminder either.
ALTER TABLE "chat_conversation" ADD COLUMN "outcome_recorded_at" TIMESTAMP(3);
UPDATE "chat_conversation" SET "outcome_recorded_at" = "closed_at" WHERE "status" = 'closed';

-- CreateTable
CREATE TABLE "chat_outcome_choice" (
    "id" UUID NOT NULL,
    "field" "ChatOutcomeField" NOT NULL,
    "label" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "early_support" BOOLEAN NOT NULL DEFAULT false,
    "retired_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_outcome_choice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_outcome" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "hour" SMALLINT NOT NULL,
    "topic_id" UUID NOT NULL,
    "age_band_id" UUID,
    "result_id" UUID NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "chat_outcome_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "chat_outcome_hour_check" CHECK ("hour" BETWEEN 0 AND 23),
    CONSTRAINT "chat_outcome_n_check" CHECK ("n" > 0)
);

-- CreateTable
CREATE TABLE "chat_tally" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "hour" SMALLINT NOT NULL,
    "kind" "ChatTallyKind" NOT NULL,
    "wait_seconds" INTEGER,
    "n" INTEGER NOT NULL,

    CONSTRAINT "chat_tally_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "chat_tally_hour_check" CHECK ("hour" BETWEEN 0 AND 23),
    CONSTRAINT "chat_tally_n_check" CHECK ("n" > 0),
    CONSTRAINT "chat_tally_wait_check" CHECK (("kind" = 'closedNotice') = ("wait_seconds" IS NULL) AND ("wait_seconds" IS NULL OR "wait_seconds" >= 0))
);

-- CreateIndex
CREATE INDEX "chat_outcome_choice_field_retired_at_position_idx" ON "chat_outcome_choice"("field", "retired_at", "position");

-- CreateIndex (NULLS NOT DISTINCT: one row per key also without an age band, so ON CONFLICT finds it)
CREATE UNIQUE INDEX "chat_outcome_day_hour_topic_id_age_band_id_result_id_key" ON "chat_outcome"("day", "hour", "topic_id", "age_band_id", "result_id") NULLS NOT DISTINCT;

-- CreateIndex (NULLS NOT DISTINCT: one row per key also without a wait)
CREATE UNIQUE INDEX "chat_tally_day_hour_kind_wait_seconds_key" ON "chat_tally"("day", "hour", "kind", "wait_seconds") NULLS NOT DISTINCT;

-- AddForeignKey
ALTER TABLE "chat_outcome" ADD CONSTRAINT "chat_outcome_topic_id_fkey" FOREIGN KEY ("topic_id") REFERENCES "chat_outcome_choice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "chat_outcome" ADD CONSTRAINT "chat_outcome_age_band_id_fkey" FOREIGN KEY ("age_band_id") REFERENCES "chat_outcome_choice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "chat_outcome" ADD CONSTRAINT "chat_outcome_result_id_fkey" FOREIGN KEY ("result_id") REFERENCES "chat_outcome_choice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
