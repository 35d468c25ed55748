// Submitting an application (R2.1–R2.2, R4.1): one path for the web form and the integration API.
// The record is stored with its case number first; then the case's workflow starts. Both steps are
// idempotent, so a double click, a back + resubmit or a retried API call yields the same case.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { startWorkflowOnce } from '../temporal';
import type { Db } from '../db';
import type { ApplicantDetails } from './applicationInput';
import { nextCaseNumberSql } from './caseNumber';
import {
  PARENT_APPLICATION,
  parentApplicationWorkflowId,
  type ParentApplicationInput,
} from '../../workflows/parentApplication.messages';
import { CaseKindKey, CaseNumberKey, CaseStatusKey, CourseKey, DistrictKey } from '../../workflows/searchAttributes';

export interface SubmitDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export interface SubmitInput {
  personId: string;
  courseId: string;
  details: ApplicantDetails;
  idempotencyKey: string;
  /** Who submitted: the person, or the API key ("api:<name>"), for the case diary. */
  actor: string;
}

export type SubmitResult =
  | { ok: true; caseNumber: string; created: boolean }
  | { ok: false; code: 'course-not-open' | 'already-applied' | 'personnummer-taken'; caseNumber?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Two round trips in all: one read of everything the checks need, one statement that stores the
// case. Hand-written SQL because this is the hot path: each Prisma query and each statement of an
// interactive transaction is a round trip (and the embedded database has one connection for all).
export async function submitApplication(deps: SubmitDeps, input: SubmitInput): Promise<SubmitResult> {
  if (!UUID.test(input.courseId)) return { ok: false, code: 'course-not-open' };
  const facts = await readSubmissionFacts(deps.db, input);
  if (facts.existing) {
    await startCaseWorkflow(deps, facts.existing);
    return { ok: true, caseNumber: facts.existing.caseNumber, created: false };
  }
  const { course } = facts;
  if (!course || course.status !== 'open' || course.kind === 'training') return { ok: false, code: 'course-not-open' };
  if (facts.duplicate) {
    // The same submission racing itself (a double click) is the same case, not a second application.
    if (facts.duplicate.idempotencyKey === input.idempotencyKey) return { ok: true, caseNumber: facts.duplicate.caseNumber, created: false };
    return { ok: false, code: 'already-applied', caseNumber: facts.duplicate.caseNumber };
  }
  if (facts.personnummerTaken) return { ok: false, code: 'personnummer-taken' };

  let created: StartableCase;
  try {
    created = await storeApplication(deps.db, input, course);
  } catch (err) {
    // Two identical submissions raced: the other one stored the case; return it.
    if (isUniqueViolation(err)) {
      const winner = (await readSubmissionFacts(deps.db, input)).existing;
      if (winner) {
        await startCaseWorkflow(deps, winner);
        return { ok: true, caseNumber: winner.caseNumber, created: false };
      }
    }
    throw err;
  }
  await startCaseWorkflow(deps, created);
  return { ok: true, caseNumber: created.caseNumber, created: true };
}

interface SubmissionFacts {
  /** The case this idempotency key already stored. */
  existing: StartableCase | null;
  course: { id: string; kind: string; status: string; districtSlug: string } | null;
  /** The person's active application to the course. */
  duplicate: { caseNumber: string; idempotencyKey: string } | null;
  /** The personnummer belongs to another person. */
  personnummerTaken: boolean;
}

type FactsRow = {
  e_id: string | null;
  e_case_number: string | null;
  e_workflow_id: string | null;
  e_course_id: string | null;
  e_kind: string | null;
  e_district_slug: string | null;
  c_id: string | null;
  c_kind: string | null;
  c_status: string | null;
  c_district_slug: string | null;
  dup_case_number: string | null;
  dup_key: string | null;
  personnummer_taken: boolean;
};

/** Everything the checks need, in one query (each part is a unique or indexed lookup). */
async function readSubmissionFacts(db: Db, input: SubmitInput): Promise<SubmissionFacts> {
  const [row] = await db.$queryRaw<FactsRow[]>`
    SELECT e.id AS e_id, e.case_number AS e_case_number, e.workflow_id AS e_workflow_id, e.course_id AS e_course_id,
           e.kind::text AS e_kind, ed.slug AS e_district_slug,
           c.id AS c_id, c.kind::text AS c_kind, c.status::text AS c_status, cd.slug AS c_district_slug,
           dup.case_number AS dup_case_number, dup.idempotency_key AS dup_key,
           EXISTS (SELECT 1 FROM person p WHERE p.personnummer = ${input.details.personnummer} AND p.id <> ${input.personId}::uuid)
             AS personnummer_taken
    FROM (SELECT 1) AS one
    LEFT JOIN application e ON e.idempotency_key = ${input.idempotencyKey}
    LEFT JOIN course ec ON ec.id = e.course_id
    LEFT JOIN district ed ON ed.id = ec.district_id
    LEFT JOIN course c ON c.id = ${input.courseId}::uuid
    LEFT JOIN district cd ON cd.id = c.district_id
    LEFT JOIN LATERAL (
      SELECT a.case_number, a.idempotency_key FROM application a
      WHERE a.person_id = ${input.personId}::uuid AND a.course_id = c.id AND a.status IN ('submitted', 'admitted', 'queued')
      LIMIT 1
    ) AS dup ON true`;
  return {
    existing: row.e_id
      ? {
          applicationId: row.e_id,
          caseNumber: row.e_case_number!,
          workflowId: row.e_workflow_id!,
          courseId: row.e_course_id!,
          kind: row.e_kind!,
          districtSlug: row.e_district_slug ?? WEB_DISTRICT,
        }
      : null,
    course: row.c_id ? { id: row.c_id, kind: row.c_kind!, status: row.c_status!, districtSlug: row.c_district_slug ?? WEB_DISTRICT } : null,
    duplicate: row.dup_case_number ? { caseNumber: row.dup_case_number, idempotencyKey: row.dup_key! } : null,
    personnummerTaken: row.personnummer_taken,
  };
}

/** Workflow ids are the case number behind this prefix (parentApplicationWorkflowId). */
const WORKFLOW_ID_PREFIX = parentApplicationWorkflowId('');
/** The search attribute value of a case without a district (web course). */
const WEB_DISTRICT = 'webb';

/**
 * One statement, so one implicit transaction and no BEGIN/COMMIT round trips: the case number,
 * the applicant's details, the application and its first diary event. Any failure (a unique key,
 * a person that is gone: NULL person_id) rolls back all of it, the counter included.
 */
async function storeApplication(
  db: Db,
  input: SubmitInput,
  course: NonNullable<SubmissionFacts['course']>,
): Promise<StartableCase> {
  const submittedAt = new Date();
  const applicationId = randomUUID();
  const { name, personnummer, phone, childAge, message } = input.details;
  const [row] = await db.$queryRaw<{ case_number: string; workflow_id: string }[]>`
    WITH numbered AS (${nextCaseNumberSql(submittedAt)}),
    applicant AS (
      UPDATE person SET name = ${name}, personnummer = ${personnummer}, phone = ${phone}
      WHERE id = ${input.personId}::uuid
      RETURNING id
    ),
    app AS (
      INSERT INTO application (id, case_number, kind, person_id, course_id, answers, submitted_at, idempotency_key, workflow_id)
      SELECT ${applicationId}::uuid, n.case_number, ${course.kind}::"CourseKind", (SELECT id FROM applicant), ${course.id}::uuid,
             ${JSON.stringify({ childAge, message })}::jsonb, ${submittedAt}, ${input.idempotencyKey}, ${WORKFLOW_ID_PREFIX} || n.case_number
      FROM numbered n
      RETURNING case_number, workflow_id
    ),
    event AS (
      INSERT INTO case_event (id, application_id, type, actor, created_at)
      SELECT ${randomUUID()}::uuid, ${applicationId}::uuid, 'submitted', ${input.actor}, ${submittedAt} FROM app
    )
    SELECT case_number, workflow_id FROM app`;
  return {
    applicationId,
    caseNumber: row.case_number,
    workflowId: row.workflow_id,
    courseId: course.id,
    kind: course.kind,
    districtSlug: course.districtSlug,
  };
}

/** What starting a case's workflow needs: ids and codes only. */
export interface StartableCase {
  applicationId: string;
  caseNumber: string;
  workflowId: string;
  courseId: string;
  kind: string;
  districtSlug: string;
}

/** Starts the case's workflow unless it already runs (or ran): safe to call again after a crash. */
export async function startCaseWorkflow(deps: Pick<SubmitDeps, 'temporal' | 'taskQueue'>, app: StartableCase): Promise<void> {
  const input: ParentApplicationInput = {
    caseNumber: app.caseNumber,
    applicationId: app.applicationId,
    courseId: app.courseId,
    districtSlug: app.districtSlug,
    kind: app.kind === 'webCourse' ? 'webCourse' : 'groupCourse',
  };
  await startWorkflowOnce(deps.temporal, PARENT_APPLICATION, {
    workflowId: app.workflowId,
    taskQueue: deps.taskQueue,
    args: [input],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: CaseNumberKey, value: app.caseNumber },
      { key: CaseKindKey, value: PARENT_APPLICATION },
      { key: DistrictKey, value: input.districtSlug },
      { key: CaseStatusKey, value: 'submitted' },
      { key: CourseKey, value: input.courseId },
    ],
  });
}

/** P2002 from a model query; from a raw one, P2010 carrying the driver's SQLSTATE 23505. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, meta } = err as { code?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  return code === 'P2002' || (code === 'P2010' && meta?.driverAdapterError?.cause?.originalCode === '23505');
}
