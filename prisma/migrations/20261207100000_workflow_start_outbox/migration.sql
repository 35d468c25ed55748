-- CreateTable
CREATE TABLE "workflow_start" (
    "application_id" UUID NOT NULL,
    "workflow_type" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "args" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_attempt_at" TIMESTAMP(3),
    "last_error" TEXT,

    CONSTRAINT "workflow_start_pkey" PRIMARY KEY ("application_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workflow_start_workflow_id_key" ON "workflow_start"("workflow_id");

-- AddForeignKey
ALTER TABLE "workflow_start" ADD CONSTRAINT "workflow_start_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- By hand (the schema cannot express a partial index): the reconciler reads only what waits.
CREATE INDEX "workflow_start_pending_idx" ON "workflow_start" ("last_attempt_at" NULLS FIRST, "created_at") WHERE "started_at" IS NULL;

-- Repair (issue 14): a case stored before this outbox may never have had its workflow started
-- (Temporal was down when it was submitted). Every open case gets its start on record: the
-- start by the reconciler is idempotent (REJECT_DUPLICATE on the id derived from the case number),
-- so a case whose workflow runs is only marked started. Inputs as submitApplication and
-- submitEnrolment build them: ids and codes only.
INSERT INTO "workflow_start" ("application_id", "workflow_type", "workflow_id", "args")
SELECT a.id, 'parentApplication', a.workflow_id,
       jsonb_build_object(
         'caseNumber', a.case_number,
         'applicationId', a.id,
         'courseId', a.course_id,
         'districtSlug', COALESCE(d.slug, 'webb'),
         'kind', CASE WHEN a.kind = 'webCourse' THEN 'webCourse' ELSE 'groupCourse' END)
FROM "application" a
JOIN "course" c ON c.id = a.course_id
LEFT JOIN "district" d ON d.id = c.district_id
WHERE a.workflow_id = 'parentApplication-' || a.case_number
  AND a.status NOT IN ('withdrawn', 'completed', 'notCompleted', 'closed', 'consentDeclined', 'noConsent')
UNION ALL
SELECT a.id, 'professionalEnrolment', a.workflow_id,
       jsonb_build_object('caseNumber', a.case_number, 'applicationId', a.id, 'courseId', a.course_id)
FROM "application" a
WHERE a.workflow_id = 'professionalEnrolment-' || a.case_number
  AND a.status NOT IN ('withdrawn', 'completed', 'notCompleted', 'closed', 'consentDeclined', 'noConsent')
ON CONFLICT ("application_id") DO NOTHING;
