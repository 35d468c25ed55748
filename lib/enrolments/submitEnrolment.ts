// Submitting a professional's enrolment in a training (R6.1–R6.3). Like the parents' cases: the
// record is stored with its case number in one statement, then the case's workflow starts (which
// sends the confirmation and the manager's consent request). Both steps are idempotent, so a
// double click or a back + resubmit yields the same case.
import { randomUUID } from 'node:crypto';
import { startWorkflowOnce } from '../temporal';
import type { Db } from '../db';
import { nextCaseNumberSql } from '../cases/caseNumber';
import { isUniqueViolation, type SubmitDeps } from '../cases/submitApplication';
import type { EnrolmentAnswers } from './enrolmentInput';
import {
  PROFESSIONAL_ENROLMENT,
  professionalEnrolmentWorkflowId,
  type ProfessionalEnrolmentInput,
} from '../../workflows/professionalEnrolment.messages';
import { CaseKindKey, CaseNumberKey, CaseStatusKey, CourseKey } from '../../workflows/searchAttributes';

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

/** Statuses in which the person's enrolment in a training is still alive. */
const ACTIVE = ['awaitingConsent', 'consented', 'admitted', 'queued'] as const;

interface StartableEnrolment {
  applicationId: string;
  caseNumber: string;
  workflowId: string;
  courseId: string;
}

export async function submitEnrolment(deps: EnrolmentDeps, input: EnrolmentInput): Promise<EnrolmentResult> {
  const existing = await findByKey(deps.db, input.idempotencyKey);
  if (existing) {
    await startEnrolmentWorkflow(deps, existing);
    return { ok: true, caseNumber: existing.caseNumber, created: false };
  }
  const course = await deps.db.course.findUnique({ where: { id: input.courseId }, select: { kind: true, status: true } });
  if (!course || course.kind !== 'training' || course.status !== 'open') return { ok: false, code: 'course-not-open' };
  const duplicate = await deps.db.application.findFirst({
    where: { personId: input.personId, courseId: input.courseId, status: { in: [...ACTIVE] } },
    select: { caseNumber: true, idempotencyKey: true },
  });
  if (duplicate) {
    // The same submission racing itself (a double click) is the same case, not a second enrolment.
    if (duplicate.idempotencyKey === input.idempotencyKey) return { ok: true, caseNumber: duplicate.caseNumber, created: false };
    return { ok: false, code: 'already-enrolled', caseNumber: duplicate.caseNumber };
  }

  let created: StartableEnrolment;
  try {
    created = await storeEnrolment(deps.db, input);
  } catch (err) {
    // Two identical submissions raced: the other one stored the case; return it.
    const winner = isUniqueViolation(err) ? await findByKey(deps.db, input.idempotencyKey) : null;
    if (!winner) throw err;
    await startEnrolmentWorkflow(deps, winner);
    return { ok: true, caseNumber: winner.caseNumber, created: false };
  }
  await startEnrolmentWorkflow(deps, created);
  return { ok: true, caseNumber: created.caseNumber, created: true };
}

async function findByKey(db: Db, idempotencyKey: string): Promise<StartableEnrolment | null> {
  const app = await db.application.findUnique({
    where: { idempotencyKey },
    select: { id: true, caseNumber: true, workflowId: true, courseId: true },
  });
  return app ? { applicationId: app.id, caseNumber: app.caseNumber, workflowId: app.workflowId, courseId: app.courseId } : null;
}

/** Workflow ids are the case number behind this prefix (professionalEnrolmentWorkflowId). */
const WORKFLOW_ID_PREFIX = professionalEnrolmentWorkflowId('');

/**
 * One statement, so one implicit transaction: the case number (shared counter with the parents'
 * cases), the person's name and phone, the application and its first diary event. Any failure
 * rolls back all of it, the counter included.
 */
async function storeEnrolment(db: Db, input: EnrolmentInput): Promise<StartableEnrolment> {
  const submittedAt = new Date();
  const applicationId = randomUUID();
  const [row] = await db.$queryRaw<{ case_number: string; workflow_id: string }[]>`
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
      SELECT ${randomUUID()}::uuid, ${applicationId}::uuid, 'submitted', ${input.personId}, ${submittedAt} FROM app
    )
    SELECT case_number, workflow_id FROM app`;
  return { applicationId, caseNumber: row.case_number, workflowId: row.workflow_id, courseId: input.courseId };
}

/** Starts the case's workflow unless it already runs (or ran): safe to call again after a crash. */
async function startEnrolmentWorkflow(deps: Pick<EnrolmentDeps, 'temporal' | 'taskQueue'>, app: StartableEnrolment): Promise<void> {
  const input: ProfessionalEnrolmentInput = { caseNumber: app.caseNumber, applicationId: app.applicationId, courseId: app.courseId };
  await startWorkflowOnce(deps.temporal, PROFESSIONAL_ENROLMENT, {
    workflowId: app.workflowId,
    taskQueue: deps.taskQueue,
    args: [input],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: CaseNumberKey, value: app.caseNumber },
      { key: CaseKindKey, value: PROFESSIONAL_ENROLMENT },
      { key: CaseStatusKey, value: 'awaitingConsent' },
      { key: CourseKey, value: input.courseId },
    ],
  });
}
