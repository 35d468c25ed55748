-- Issue 17: chat_tally counts the queue as conversations leave it, whoever moves them (the workflow's
-- activities, a fallback close in lib/chat, seeds, the bench, tests), so no writer can forget it.
-- A conversation leaves the queue once: taken by a counsellor (waiting → active: answered, its
-- wait = assigned_at − created_at) or gone before anyone answered (waiting → closed: the visitor
-- ended, went quiet or was blocked: abandoned, its wait = closed_at − created_at). The key is the
-- Stockholm date and hour of created_at and the wait rounded up to whole 10 s
-- (rules/chatOutcome.ts says the same in TypeScript). Counted when it happens, never taken back:
-- the tally outlives the conversations and their transcripts.

-- The Stockholm wall time of a `timestamp(3)` column, which holds UTC wall time (as Prisma writes it).
CREATE FUNCTION "chat_stockholm_time"("at" TIMESTAMP(3)) RETURNS TIMESTAMP LANGUAGE sql STABLE AS $$
  SELECT ("at" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Stockholm'
$$;

-- Seconds from `from` to `to`, rounded up to whole 10 s (0 stays 0, never below 0).
CREATE FUNCTION "chat_wait_seconds"("from" TIMESTAMP(3), "to" TIMESTAMP(3)) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
  SELECT (ceil(greatest(0, extract(epoch FROM ("to" - "from"))) / 10) * 10)::int
$$;

-- Adds one to the key of a conversation that has just left the queue. Row by row, and only for the
-- rows the triggers' WHEN lets through: every message moves chat_conversation's counter (last_seq),
-- and a statement trigger with transition tables would run for each of them, while WHEN is checked
-- without calling anything.
CREATE FUNCTION "chat_tally_left_queue"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "chat_tally" AS t ("day", "hour", "kind", "wait_seconds", "n")
  VALUES (
    "chat_stockholm_time"(NEW."created_at")::date,
    extract(hour FROM "chat_stockholm_time"(NEW."created_at"))::int,
    CASE WHEN NEW."assigned_at" IS NOT NULL THEN \'answered\' ELSE \'abandoned\' END::"ChatTallyKind",
    "chat_wait_seconds"(NEW."created_at", coalesce(NEW."assigned_at", NEW."closed_at", now() AT TIME ZONE \'UTC\')),
    1)
  ON CONFLICT ("day", "hour", "kind", "wait_seconds") DO UPDATE SET "n" = t."n" + 1\073
  RETURN NULL\073
END';

CREATE TRIGGER "chat_tally_left_queue_update" AFTER UPDATE OF "status" ON "chat_conversation"
    FOR EACH ROW WHEN (OLD."status" = 'waiting' AND NEW."status" <> 'waiting')
    EXECUTE FUNCTION "chat_tally_left_queue"();

-- A conversation written already out of the queue (a seed, an import) is counted as it is stored.
CREATE TRIGGER "chat_tally_left_queue_insert" AFTER INSERT ON "chat_conversation"
    FOR EACH ROW WHEN (NEW."status" <> 'waiting')
    EXECUTE FUNCTION "chat_tally_left_queue"();

-- The conversations that left the queue before this migration.
INSERT INTO "chat_tally" ("day", "hour", "kind", "wait_seconds", "n")
SELECT "chat_stockholm_time"(c."created_at")::date,
       extract(hour FROM "chat_stockholm_time"(c."created_at"))::int,
       CASE WHEN c."assigned_at" IS NOT NULL THEN 'answered' ELSE 'abandoned' END::"ChatTallyKind",
       "chat_wait_seconds"(c."created_at", coalesce(c."assigned_at", c."closed_at", now() AT TIME ZONE 'UTC')),
       count(*)::int
FROM "chat_conversation" c
WHERE c."status" <> 'waiting'
GROUP BY 1, 2, 3, 4
ON CONFLICT ("day", "hour", "kind", "wait_seconds") DO UPDATE SET "n" = "chat_tally"."n" + excluded."n";

-- A counsellor's conversations whose outcome is still missing: the console's panel reads them on
-- every refresh, so a partial index keeps that to the few, however many closed ones there are.
CREATE INDEX "chat_conversation_outcome_missing_idx" ON "chat_conversation" ("counsellor_id", "closed_at")
    WHERE "status" = 'closed' AND "assigned_at" IS NOT NULL AND "outcome_recorded_at" IS NULL;
