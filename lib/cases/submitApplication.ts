// Submitting an application (R2.1–R2.2, R4.1): one path for the web form and the integration API.
// One statement stores the case with its case number and the start of its workflow (the outbox,
// issue 14); then the workflow starts, waiting for Temporal a few seconds at most. If Temporal
// cannot be reached the case is still acknowledged: the worker's reconciler starts it later.
// Both steps are idempotent, so a double click, a back + resubmit or a retried API call yields the
// same case, and the partial unique index on the active application per person and course makes
// parallel submissions one case.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DbTypes, type Db } from '../db';
import { startAfterSubmit, type RecordedStart } from '../outbox/workflowStarts';
import type { ApplicantDetails } from './applicationInput';
import { ACTIVE_STATUSES } from './caseStatus';
import { nextCaseNumberSql } from './caseNumber';
import { PARENT_APPLICATION, parentApplicationWorkflowId } from '../../workflows/parentApplication.messages';
import { SUBMITTED_EVENT } from '../../rules/caseEvents';

export interface SubmitDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export interface SubmitInput {
  personId: string;
  /**
   * Set when the applicant is new (the API's citizen Komet has not met): their person row, with
   * `personId` and this e-mail, is made by the statement that stores the case, so a refused or
   * failed submission leaves no person behind, and a new applicant costs one commit, not two.
   */
  newPersonEmail?: string;
  courseId: string;
  details: ApplicantDetails;
  idempotencyKey: string;
  /**
   * What the request said, as a keyed hash (the API's Idempotency-Key): the key's case is returned
   * only for the same request; another one answers 'idempotency-key-reused'. Left out by the web
   * form, whose submission key only guards against a double submit.
   */
  requestFingerprint?: string;
  /** Who submitted: the person, or the API key ("api:<name>"), for the case diary. */
  actor: string;
}

export type SubmitResult =
  | { ok: true; caseNumber: string; created: boolean }
  | { ok: false; code: 'course-not-open' | 'already-applied' | 'personnummer-taken'; caseNumber?: string }
  | { ok: false; code: 'idempotency-key-reused'; caseNumber: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Three round trips in all: one read of everything the checks need, one statement that stores the
// case, one that marks its workflow started. Hand-written SQL because this is the hot path: each Prisma query and each statement of an
// interactive transaction is a round trip (and the embedded database has one connection for all).
export async function submitApplication(deps: SubmitDeps, input: SubmitInput): Promise<SubmitResult> {
  if (!UUID.test(input.courseId)) return { ok: false, code: 'course-not-open' };
  const facts = await readSubmissionFacts(deps.db, input);
  if (facts.existing) return answerExisting(deps, input, facts.existing);
  const { course } = facts;
  if (!course || course.status !== 'open' || course.kind === 'training') return { ok: false, code: 'course-not-open' };
  if (facts.duplicate) return answerDuplicate(input, facts.duplicate);
  // A new person's personnummer taken meanwhile fails the store's insert instead: the caller then
  // finds that person and tries again.
  if (facts.personnummerTaken && input.newPersonEmail === undefined) return { ok: false, code: 'personnummer-taken' };

  let created: StoredCase;
  try {
    created = await storeApplication(deps.db, input, course);
  } catch (err) {
    if (!isUniqueViolation(err) || input.newPersonEmail !== undefined) throw err;
    // A parallel submission stored first: the same one (its key) is that case; another one for the
    // same person and course lost to the one-active-application index and is "already applied".
    const after = await readSubmissionFacts(deps.db, input);
    if (after.existing) return answerExisting(deps, input, after.existing);
    if (after.duplicate) return answerDuplicate(input, after.duplicate);
    if (after.personnummerTaken) return { ok: false, code: 'personnummer-taken' };
    throw err;
  }
  await startAfterSubmit(deps, created.start);
  return { ok: true, caseNumber: created.caseNumber, created: true };
}

/** The key's case: returned (its workflow started if it still waits), unless the request differs. */
async function answerExisting(deps: SubmitDeps, input: SubmitInput, existing: ExistingCase): Promise<SubmitResult> {
  if (input.requestFingerprint && existing.requestFingerprint && input.requestFingerprint !== existing.requestFingerprint) {
    return { ok: false, code: 'idempotency-key-reused', caseNumber: existing.caseNumber };
  }
  if (existing.pendingStart) await startAfterSubmit(deps, existing.pendingStart);
  return { ok: true, caseNumber: existing.caseNumber, created: false };
}

function answerDuplicate(input: SubmitInput, duplicate: NonNullable<SubmissionFacts['duplicate']>): SubmitResult {
  // The same submission racing itself (a double click) is the same case, not a second application.
  if (duplicate.idempotencyKey === input.idempotencyKey) return { ok: true, caseNumber: duplicate.caseNumber, created: false };
  return { ok: false, code: 'already-applied', caseNumber: duplicate.caseNumber };
}

/** The case an idempotency key already stored. */
interface ExistingCase {
  caseNumber: string;
  requestFingerprint: string | null;
  /** Its workflow's start, while it still waits for Temporal. */
  pendingStart: RecordedStart | null;
}

interface SubmissionFacts {
  existing: ExistingCase | null;
  course: { id: string; kind: string; status: string; districtSlug: string } | null;
  /** The person's active application to the course. */
  duplicate: { caseNumber: string; idempotencyKey: string } | null;
  /** The personnummer belongs to another person. */
  personnummerTaken: boolean;
}

type FactsRow = {
  e_id: string | null;
  e_case_number: string | null;
  e_fingerprint: string | null;
  ws_type: string | null;
  ws_workflow_id: string | null;
  ws_args: unknown;
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
  const [row] = await db.sql<FactsRow>`
    SELECT e.id AS e_id, e.case_number AS e_case_number, e.request_fingerprint AS e_fingerprint,
           ws.workflow_type AS ws_type, ws.workflow_id AS ws_workflow_id, ws.args AS ws_args,
           c.id AS c_id, c.kind::text AS c_kind, c.status::text AS c_status, cd.slug AS c_district_slug,
           dup.case_number AS dup_case_number, dup.idempotency_key AS dup_key,
           EXISTS (SELECT 1 FROM person p WHERE p.personnummer = ${input.details.personnummer} AND p.id <> ${input.personId}::uuid)
             AS personnummer_taken
    FROM (SELECT 1) AS one
    LEFT JOIN application e ON e.idempotency_key = ${input.idempotencyKey}
    LEFT JOIN workflow_start ws ON ws.application_id = e.id AND ws.started_at IS NULL
    LEFT JOIN course c ON c.id = ${input.courseId}::uuid
    LEFT JOIN district cd ON cd.id = c.district_id
    LEFT JOIN LATERAL (
      SELECT a.case_number, a.idempotency_key FROM application a
      WHERE a.person_id = ${input.personId}::uuid AND a.course_id = c.id AND a.status::text = ANY(${[...ACTIVE_STATUSES]}::text[])
      ORDER BY a.submitted_at
      LIMIT 1
    ) AS dup ON true`;
  return {
    existing: row.e_id
      ? {
          caseNumber: row.e_case_number!,
          requestFingerprint: row.e_fingerprint,
          pendingStart: row.ws_type
            ? { applicationId: row.e_id, workflowType: row.ws_type, workflowId: row.ws_workflow_id!, args: row.ws_args }
            : null,
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

interface StoredCase {
  caseNumber: string;
  start: RecordedStart;
}

/**
 * One statement, so one implicit transaction and no BEGIN/COMMIT round trips: the case number,
 * the applicant's details, the application, its first diary event and the start of its workflow
 * (ParentApplicationInput: ids and codes only). Any failure (a unique key, the one active
 * application per person and course, a person that is gone: NULL person_id) rolls back all of
 * it, the counter included.
 */
async function storeApplication(db: Db, input: SubmitInput, course: NonNullable<SubmissionFacts['course']>): Promise<StoredCase> {
  const submittedAt = new Date();
  const applicationId = randomUUID();
  const kind = course.kind === 'webCourse' ? 'webCourse' : 'groupCourse';
  const { name, personnummer, phone, childAge, message } = input.details;
  const [row] = await db.sql<{ case_number: string; workflow_id: string; args: unknown }>`
    WITH numbered AS (${nextCaseNumberSql(submittedAt)}),
    applicant AS (${
      input.newPersonEmail === undefined
        ? // A personnummer proved by e-legitimation stays (issue 15), whatever was posted.
          DbTypes.Prisma.sql`
      UPDATE person SET name = ${name}, personnummer = CASE WHEN personnummer_verified_at IS NULL THEN ${personnummer} ELSE personnummer END, phone = ${phone}
      WHERE id = ${input.personId}::uuid
      RETURNING id`
        : DbTypes.Prisma.sql`
      INSERT INTO person (id, email, name, personnummer, phone)
      VALUES (${input.personId}::uuid, ${input.newPersonEmail}, ${name}, ${personnummer}, ${phone})
      RETURNING id`
    }),
    app AS (
      INSERT INTO application (id, case_number, kind, person_id, course_id, answers, submitted_at, idempotency_key,
                               request_fingerprint, workflow_id)
      SELECT ${applicationId}::uuid, n.case_number, ${course.kind}::"CourseKind", (SELECT id FROM applicant), ${course.id}::uuid,
             ${JSON.stringify({ childAge, message })}::jsonb, ${submittedAt}, ${input.idempotencyKey},
             ${input.requestFingerprint ?? null}, ${WORKFLOW_ID_PREFIX} || n.case_number
      FROM numbered n
      RETURNING case_number, workflow_id
    ),
    event AS (
      INSERT INTO case_event (id, application_id, type, actor, created_at)
      SELECT ${randomUUID()}::uuid, ${applicationId}::uuid, ${SUBMITTED_EVENT}, ${input.actor}, ${submittedAt} FROM app
    ),
    outbox AS (
      INSERT INTO workflow_start (application_id, workflow_type, workflow_id, args, created_at)
      SELECT ${applicationId}::uuid, ${PARENT_APPLICATION}, app.workflow_id,
             jsonb_build_object('caseNumber', app.case_number, 'applicationId', ${applicationId}::text, 'courseId', ${course.id}::text,
                                'districtSlug', ${course.districtSlug}::text, 'kind', ${kind}::text),
             ${submittedAt}
      FROM app
      RETURNING workflow_id, args
    )
    SELECT app.case_number, outbox.workflow_id, outbox.args FROM app, outbox`;
  return {
    caseNumber: row.case_number,
    start: { applicationId, workflowType: PARENT_APPLICATION, workflowId: row.workflow_id, args: row.args },
  };
}

/** P2002 from a model query; from a raw one, P2010 carrying the driver's SQLSTATE 23505; from db.sql, pg's 23505. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, meta } = err as { code?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  return code === 'P2002' || code === '23505' || (code === 'P2010' && meta?.driverAdapterError?.cause?.originalCode === '23505');
}
