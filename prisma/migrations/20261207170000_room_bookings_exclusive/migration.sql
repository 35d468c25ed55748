-- CreateTable
CREATE TABLE "room_release" (
    "session_id" UUID NOT NULL,
    "room_id" UUID NOT NULL,
    "held_by_id" UUID,
    "released_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "room_release_pkey" PRIMARY KEY ("session_id")
);

-- AddForeignKey
ALTER TABLE "room_release" ADD CONSTRAINT "room_release_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "course_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "room_release" ADD CONSTRAINT "room_release_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "room_release" ADD CONSTRAINT "room_release_held_by_id_fkey" FOREIGN KEY ("held_by_id") REFERENCES "course_session"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A room holds one session at a time (R8.7, issue 13): from here the database itself refuses a
-- second booking of a room at an overlapping time, whichever path writes it (the admin's booking,
-- the leader's session edit, seeds, a script), and two bookings made at the same moment cannot
-- both win. The application checks first (rules/sessions.ts canBookRoom) so that it can name the
-- course that holds the room. The constraint below is the arbiter, and its violation (SQLSTATE
-- 23P01) is answered as the refusal 'room-booked' in one place (lib/admin/rooms.ts).
--
-- Double bookings already stored are resolved, not left to block the upgrade: in each room the
-- session that starts first keeps it (on equal starts, the lower id), and every later session
-- that overlaps a kept one loses its room. Nothing is deleted or moved in time. Each freed session
-- is recorded in room_release (which room it had, which session kept it), and the admin's rooms
-- page and the course's session list show it until it has a room again. A migration that refused
-- instead would stop every other fix of this release until someone edited bookings by hand in the
-- old version, and in embedded mode (npm start) the system would not start at all. The two
-- courses in a clash cannot both meet there anyway: an empty place with a visible task is more
-- honest than a room that is taken.
--
-- Greedy by start time: a session with no earlier overlapping session in its room is sure to keep
-- it, so each pass frees the later sessions that overlap such a session, until no clash is left.
-- (No semicolons in these comments or in the block: Prisma's migration runner, adapter-pg, cuts
-- a script at every semicolon, so the block is an escaped string with \073 for each one.)
DO E'
DECLARE
  freed int\073
BEGIN
  LOOP
    WITH clash AS (
      SELECT DISTINCT ON (b."id") b."id" AS "session_id", b."room_id", a."id" AS "held_by_id"
      FROM "course_session" a
      JOIN "course_session" b
        ON b."room_id" = a."room_id"
       AND (a."starts_at", a."id") < (b."starts_at", b."id")
       AND a."starts_at" < b."ends_at" AND b."starts_at" < a."ends_at"
      WHERE NOT EXISTS (
        SELECT 1 FROM "course_session" e
        WHERE e."room_id" = a."room_id"
          AND (e."starts_at", e."id") < (a."starts_at", a."id")
          AND e."starts_at" < a."ends_at" AND a."starts_at" < e."ends_at")
      ORDER BY b."id", a."starts_at", a."id"
    ), recorded AS (
      INSERT INTO "room_release" ("session_id", "room_id", "held_by_id")
      SELECT "session_id", "room_id", "held_by_id" FROM clash
    )
    UPDATE "course_session" s SET "room_id" = NULL FROM clash WHERE s."id" = clash."session_id"\073
    GET DIAGNOSTICS freed = ROW_COUNT\073
    EXIT WHEN freed = 0\073
  END LOOP\073
END';

-- btree_gist lets one GiST index compare the room id (=) beside the time range (&&).
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Half-open ranges [start, end): a session ending at 18:00 and one starting at 18:00 do not clash,
-- as in rules/sessions.ts overlaps(). The columns are timestamps without time zone holding UTC
-- (Prisma's DateTime), hence tsrange: tstzrange over them needs a cast that depends on the
-- connection's time zone, which an index expression may not use.
ALTER TABLE "course_session"
  ADD CONSTRAINT "course_session_room_no_overlap"
  EXCLUDE USING gist ("room_id" WITH =, tsrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("room_id" IS NOT NULL);
