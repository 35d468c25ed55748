-- CreateTable
CREATE TABLE "application_tally" (
    "id" BIGSERIAL NOT NULL,
    "course_id" UUID NOT NULL,
    "term" INTEGER NOT NULL,
    "status" "ApplicationStatus" NOT NULL,
    "waiting" INTEGER,
    "n" INTEGER NOT NULL,

    CONSTRAINT "application_tally_pkey" PRIMARY KEY ("id")
);

-- CreateIndex (NULLS NOT DISTINCT: one row per key also without a waiting time, so ON CONFLICT finds it)
CREATE UNIQUE INDEX "application_tally_course_id_term_status_waiting_key" ON "application_tally"("course_id", "term", "status", "waiting") NULLS NOT DISTINCT;

-- AddForeignKey
ALTER TABLE "application_tally" ADD CONSTRAINT "application_tally_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The term an application was made in: year × 2 + half (0 = VT, January–June, 1 = HT) of
-- submitted_at, a UTC timestamp, in Stockholm time, as lib/statistics/terms.ts counts it.
CREATE FUNCTION "application_term"("submitted_at" TIMESTAMP(3)) RETURNS INTEGER LANGUAGE sql STABLE AS $$
  SELECT (extract(year FROM l."at") * 2 + (extract(month FROM l."at") > 6)::int)::int
  FROM (SELECT ("submitted_at" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Stockholm' AS "at") AS l
$$;

-- Whole days from an application to its start, for a case that may have started (admitted,
-- completed, not completed), else null: to the course's first session, for a web course to the
-- decision. Never below 0 (applied after the first session), null when that day is not known.
CREATE FUNCTION "application_waiting"("of_status" "ApplicationStatus", "of_kind" "CourseKind", "of_course" UUID, "submitted" TIMESTAMP(3), "decided" TIMESTAMP(3))
RETURNS INTEGER LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN w."days" IS NOT NULL THEN greatest(0, w."days") END
  FROM (
    SELECT CASE WHEN "of_status" IN ('admitted', 'completed', 'notCompleted') THEN
      floor(date_part('epoch', CASE WHEN "of_kind" = 'webCourse' THEN "decided"
        ELSE (SELECT min(s."starts_at") FROM "course_session" s WHERE s."course_id" = "of_course") END - "submitted") / 86400)::int
    END AS "days"
  ) AS w
$$;

-- Counts a course's applications again from scratch: after its sessions changed (the waiting time
-- to the first session moves), and to fill the table for the applications already made.
-- The body is an escaped string with \073 for each semicolon: Prisma's migration runner
-- (adapter-pg) cuts a script at every semicolon, even inside a dollar-quoted body.
CREATE FUNCTION "application_tally_recount"("course_ids" UUID[]) RETURNS void LANGUAGE plpgsql AS E'
BEGIN
  DELETE FROM "application_tally" WHERE "course_id" = ANY("course_ids")\073
  INSERT INTO "application_tally" ("course_id", "term", "status", "waiting", "n")
  SELECT a."course_id", "application_term"(a."submitted_at"), a."status",
    "application_waiting"(a."status", a."kind", a."course_id", a."submitted_at", a."decided_at"), count(*)::int
  FROM "application" a WHERE a."course_id" = ANY("course_ids")
  GROUP BY 1, 2, 3, 4\073
END';

-- Adds the applications `added` to the tally and takes the applications `removed` away (a row as it
-- was before an update or delete). Only the keys whose count changes are written, so an update of
-- other columns writes nothing. One order for every writer, so two statements never wait for each
-- other crosswise. A key whose count falls to 0 goes.
CREATE FUNCTION "application_tally_change"("added" "application"[], "removed" "application"[]) RETURNS void LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "application_tally" AS t ("course_id", "term", "status", "waiting", "n")
  SELECT d."course_id", "application_term"(d."submitted_at"), d."status",
    "application_waiting"(d."status", d."kind", d."course_id", d."submitted_at", d."decided_at"), sum(d."sign")::int
  FROM (
    SELECT r.*, 1 AS "sign" FROM unnest("added") AS r
    UNION ALL
    SELECT r.*, -1 FROM unnest("removed") AS r
  ) AS d
  GROUP BY 1, 2, 3, 4
  HAVING sum(d."sign") <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT ("course_id", "term", "status", "waiting") DO UPDATE SET "n" = t."n" + excluded."n"\073
  DELETE FROM "application_tally" WHERE "n" = 0 AND "course_id" IN (SELECT r."course_id" FROM unnest("removed") AS r)\073
END';

-- Every writer of application (the forms, the workflows' activities, seeds, the bench's SQL, tests)
-- keeps the tally right without knowing of it, per statement, so a bulk insert adds up in one upsert.
CREATE FUNCTION "application_tally_sync"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = \'INSERT\' THEN
    PERFORM "application_tally_change"(ARRAY(SELECT r::"application" FROM "new_applications" AS r), \'{}\'::"application"[])\073
  ELSIF TG_OP = \'UPDATE\' THEN
    PERFORM "application_tally_change"(ARRAY(SELECT r::"application" FROM "new_applications" AS r), ARRAY(SELECT r::"application" FROM "old_applications" AS r))\073
  ELSE
    PERFORM "application_tally_change"(\'{}\'::"application"[], ARRAY(SELECT r::"application" FROM "old_applications" AS r))\073
  END IF\073
  RETURN NULL\073
END';

-- One trigger per event: PostgreSQL refuses transition tables on a trigger for several events.
CREATE TRIGGER "application_tally_insert" AFTER INSERT ON "application"
    REFERENCING NEW TABLE AS "new_applications"
    FOR EACH STATEMENT EXECUTE FUNCTION "application_tally_sync"();

CREATE TRIGGER "application_tally_update" AFTER UPDATE ON "application"
    REFERENCING OLD TABLE AS "old_applications" NEW TABLE AS "new_applications"
    FOR EACH STATEMENT EXECUTE FUNCTION "application_tally_sync"();

CREATE TRIGGER "application_tally_delete" AFTER DELETE ON "application"
    REFERENCING OLD TABLE AS "old_applications"
    FOR EACH STATEMENT EXECUTE FUNCTION "application_tally_sync"();

-- A course's first session sets its applications' waiting times: counted again when sessions change.
CREATE FUNCTION "application_tally_sessions_sync"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = \'INSERT\' THEN
    PERFORM "application_tally_recount"(ARRAY(SELECT DISTINCT "course_id" FROM "new_sessions"))\073
  ELSIF TG_OP = \'UPDATE\' THEN
    PERFORM "application_tally_recount"(ARRAY(SELECT "course_id" FROM "new_sessions" UNION SELECT "course_id" FROM "old_sessions"))\073
  ELSE
    PERFORM "application_tally_recount"(ARRAY(SELECT DISTINCT "course_id" FROM "old_sessions"))\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "application_tally_sessions_insert" AFTER INSERT ON "course_session"
    REFERENCING NEW TABLE AS "new_sessions"
    FOR EACH STATEMENT EXECUTE FUNCTION "application_tally_sessions_sync"();

CREATE TRIGGER "application_tally_sessions_update" AFTER UPDATE ON "course_session"
    REFERENCING OLD TABLE AS "old_sessions" NEW TABLE AS "new_sessions"
    FOR EACH STATEMENT EXECUTE FUNCTION "application_tally_sessions_sync"();

CREATE TRIGGER "application_tally_sessions_delete" AFTER DELETE ON "course_session"
    REFERENCING OLD TABLE AS "old_sessions"
    FOR EACH STATEMENT EXECUTE FUNCTION "application_tally_sessions_sync"();

-- The applications made before this migration.
SELECT "application_tally_recount"(ARRAY(SELECT "id" FROM "course"));
