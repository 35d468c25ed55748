// Submitting a professional's enrolment in a training (R6.1–R6.3). Like the parents' cases: one
// statement stores the record with its case number and the start of its workflow (the outbox,
// issue 14); then the workflow starts (it sends the confirmation and the manager's consent
// request), waiting for Temporal a few seconds at most, else the worker's reconciler starts it.
// Both steps are idempotent, so a double click or a back + resubmit yields the same case, and the
// one-active-application index makes parallel submissions one case.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { ACTIVE_STATUSES } from '../cases/caseStatus';
import { nextCaseNumberSql } from '../cases/caseNumber';
import { isUniqueViolation, type SubmitDeps } from '../cases/submitApplication';
import { startAfterSubmit, type RecordedStart } from '../outbox/workflowStarts';
import type { EnrolmentAnswers } from './enrolmentInput';
import { PROFESSIONAL_ENROLMENT, professionalEnrolmentWorkflowId } from '../../workflows/professionalEnrolment.messages';
import { SUBMITTED_EVENT } from '../../rules/caseEvents';

/** The same back end as the parents' submissions. */
export type EnrolmentDeps = SubmitDeps;

export interface EnrolmentInput {
  personId: string;
  courseId: string;
  name: string;
  /** E.164, or '' when not given (the stored number is then kept). */
  phone: string;
  answers: EnrolmentAnswers;
  idempotencyKey: string;
}

export type EnrolmentResult =
  | { ok: true; caseNumber: string; created: boolean }
  | { ok: false; code: 'course-not-open' }
  | { ok: false; code: 'already-enrolled'; caseNumber: string };

export async function submitEnrolment(deps: EnrolmentDeps, input: EnrolmentInput): Promise<EnrolmentResult> {
  const existing = await findByKey(deps.db, input.idempotencyKey);
  if (existing) return answerExisting(deps, existing);
  const course = await deps.db.course.findUnique({ where: { id: input.courseId }, select: { kind: true, status: true } });
  if (!course || course.kind !== 'training' || course.status !== 'open') return { ok: false, code: 'course-not-open' };
  const duplicate = await findActive(deps.db, input);
  if (duplicate) return answerDuplicate(input, duplicate);

  let created: StoredEnrolment & { start: RecordedStart };
  try {
    created = await storeEnrolment(deps.db, input);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // A parallel submission stored first: the same one (its key) is that case; another one for the
    // same person and training lost to the one-active-application index and is "already enrolled".
    const winner = await findByKey(deps.db, input.idempotencyKey);
    if (winner) return answerExisting(deps, winner);
    const active = await findActive(deps.db, input);
    if (active) return answerDuplicate(input, active);
    throw err;
  }
  await startAfterSubmit(deps, created.start);
  return { ok: true, caseNumber: created.caseNumber, created: true };
}

interface StoredEnrolment {
  caseNumber: string;
  /** Its workflow's start, while it still waits for Temporal. */
  start: RecordedStart | null;
}

async function answerExisting(deps: EnrolmentDeps, existing: StoredEnrolment): Promise<EnrolmentResult> {
  if (existing.start) await startAfterSubmit(deps, existing.start);
  return { ok: true, caseNumber: existing.caseNumber, created: false };
}

function answerDuplicate(input: EnrolmentInput, duplicate: { caseNumber: string; idempotencyKey: string }): EnrolmentResult {
  // The same submission racing itself (a double click) is the same case, not a second enrolment.
  if (duplicate.idempotencyKey === input.idempotencyKey) return { ok: true, caseNumber: duplicate.caseNumber, created: false };
  return { ok: false, code: 'already-enrolled', caseNumber: duplicate.caseNumber };
}

async function findByKey(db: Db, idempotencyKey: string): Promise<StoredEnrolment | null> {
  const app = await db.application.findUnique({
    where: { idempotencyKey },
    select: {
      caseNumber: true,
      workflowStart: { select: { applicationId: true, workflowType: true, workflowId: true, args: true, startedAt: true } },
    },
  });
  if (!app) return null;
  const ws = app.workflowStart;
  const waiting = ws && !ws.startedAt;
  return {
    caseNumber: app.caseNumber,
    start: waiting ? { applicationId: ws.applicationId, workflowType: ws.workflowType, workflowId: ws.workflowId, args: ws.args } : null,
  };
}

/** The person's enrolment in the training that is still alive. */
function findActive(db: Db, input: EnrolmentInput) {
  return db.application.findFirst({
    where: { personId: input.personId, courseId: input.courseId, status: { in: [...ACTIVE_STATUSES] } },
    orderBy: { submittedAt: 'asc' },
    select: { caseNumber: true, idempotencyKey: true },
  });
}

/** Workflow ids are the case number behind this prefix (professionalEnrolmentWorkflowId). */
const WORKFLOW_ID_PREFIX = professionalEnrolmentWorkflowId('');

/**
 * One statement, so one implicit transaction: the case number (shared counter with the parents'
 * cases), the person's name and phone, the application, its first diary event and the start of
 * its workflow (ProfessionalEnrolmentInput: ids only). Any failure rolls back all of it, the
 * counter included.
 */
async function storeEnrolment(db: Db, input: EnrolmentInput): Promise<StoredEnrolment & { start: RecordedStart }> {
  const submittedAt = new Date();
  const applicationId = randomUUID();
  const [row] = await db.$queryRaw<{ case_number: string; workflow_id: string; args: unknown }[]>`
    WITH numbered AS (${nextCaseNumberSql(submittedAt)}),
    applicant AS (
      UPDATE person SET name = ${input.name}, phone = COALESCE(NULLIF(${input.phone}, ''), phone)
      WHERE id = ${input.personId}::uuid
      RETURNING id
    ),
    app AS (
      INSERT INTO application (id, case_number, kind, status, person_id, course_id, answers, submitted_at, idempotency_key, workflow_id)
      SELECT ${applicationId}::uuid, n.case_number, 'training'::"CourseKind", 'awaitingConsent'::"ApplicationStatus",
             (SELECT id FROM applicant), ${input.courseId}::uuid, ${JSON.stringify(input.answers)}::jsonb, ${submittedAt},
             ${input.idempotencyKey}, ${WORKFLOW_ID_PREFIX} || n.case_number
      FROM numbered n
      RETURNING case_number, workflow_id
    ),
    event AS (
      INSERT INTO case_event (id, application_id, type, actor, created_at)
      SELECT ${randomUUID()}::uuid, ${applicationId}::uuid, ${SUBMITTED_EVENT}, ${input.personId}, ${submittedAt} FROM app
    ),
    outbox AS (
      INSERT INTO workflow_start (application_id, workflow_type, workflow_id, args, created_at)
      SELECT ${applicationId}::uuid, ${PROFESSIONAL_ENROLMENT}, app.workflow_id,
             jsonb_build_object('caseNumber', app.case_number, 'applicationId', ${applicationId}::text, 'courseId', ${input.courseId}::text),
             ${submittedAt}
      FROM app
      RETURNING workflow_id, args
    )
    SELECT app.case_number, outbox.workflow_id, outbox.args FROM app, outbox`;
  return {
    caseNumber: row.case_number,
    start: { applicationId, workflowType: PROFESSIONAL_ENROLMENT, workflowId: row.workflow_id, args: row.args },
  };
}
