-- AlterTable
ALTER TABLE "application" ADD COLUMN     "duplicate_of_id" UUID,
ADD COLUMN     "request_fingerprint" TEXT;


-- By hand (the schema cannot express a partial index), issue 14: one active application per
-- person and course. Two parallel submissions used to pass the read-then-insert check together
-- and store two cases. Now the second insert fails and answers "already applied".
-- Active = not closed (lib/cases/caseStatus.ts ACTIVE_STATUSES).
--
-- Duplicates stored before this index would make it fail. They are left as they are (each has
-- its workflow, which owns its status) and only marked: the earliest of each person and course
-- keeps its place, the later ones point at it and stay outside the index.
UPDATE "application" a
SET "duplicate_of_id" = d.first_id
FROM (
  SELECT id,
         first_value(id) OVER (PARTITION BY person_id, course_id ORDER BY submitted_at, case_number) AS first_id
  FROM "application"
  WHERE status IN ('submitted', 'admitted', 'queued', 'offered', 'awaitingConsent', 'consented')
) d
WHERE a.id = d.id AND d.id <> d.first_id;

CREATE UNIQUE INDEX "application_one_active_idx" ON "application" ("person_id", "course_id")
WHERE status IN ('submitted', 'admitted', 'queued', 'offered', 'awaitingConsent', 'consented')
  AND "duplicate_of_id" IS NULL;
