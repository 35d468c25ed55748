// Submitting an application (R2.1–R2.2, R4.1): one path for the web form and the integration API.
// The record is stored with its case number first; then the case's workflow starts. Both steps are
// idempotent, so a double click, a back + resubmit or a retried API call yields the same case.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../db';
import type { ApplicantDetails } from './applicationInput';
import { allocateCaseNumber } from './caseNumber';
import {
  PARENT_APPLICATION,
  parentApplicationWorkflowId,
  type ParentApplicationInput,
} from '../../workflows/parentApplication.messages';
import { CaseKindKey, CaseNumberKey, CaseStatusKey, DistrictKey } from '../../workflows/searchAttributes';

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

const ACTIVE = ['submitted', 'admitted', 'queued'] as const;

export async function submitApplication(deps: SubmitDeps, input: SubmitInput): Promise<SubmitResult> {
  const { db } = deps;
  const existing = await db.application.findUnique({
    where: { idempotencyKey: input.idempotencyKey },
    include: { course: { include: { district: true } } },
  });
  if (existing) {
    await startCaseWorkflow(deps, caseOf(existing, existing.course));
    return { ok: true, caseNumber: existing.caseNumber, created: false };
  }

  const course = await db.course.findUnique({ where: { id: input.courseId }, include: { district: true } });
  if (!course || course.status !== 'open' || course.kind === 'training') return { ok: false, code: 'course-not-open' };

  const duplicate = await db.application.findFirst({
    where: { personId: input.personId, courseId: course.id, status: { in: [...ACTIVE] } },
  });
  if (duplicate) {
    // The same submission racing itself (a double click) is the same case, not a second application.
    if (duplicate.idempotencyKey === input.idempotencyKey) return { ok: true, caseNumber: duplicate.caseNumber, created: false };
    return { ok: false, code: 'already-applied', caseNumber: duplicate.caseNumber };
  }

  const owner = await db.person.findUnique({ where: { personnummer: input.details.personnummer } });
  if (owner && owner.id !== input.personId) return { ok: false, code: 'personnummer-taken' };

  let created: StartableCase;
  try {
    created = await db.$transaction(async (tx) => {
      const submittedAt = new Date();
      const number = await allocateCaseNumber(tx, submittedAt);
      await tx.person.update({
        where: { id: input.personId },
        data: { name: input.details.name, personnummer: input.details.personnummer, phone: input.details.phone },
      });
      const app = await tx.application.create({
        data: {
          caseNumber: number,
          kind: course.kind,
          personId: input.personId,
          courseId: course.id,
          answers: { childAge: input.details.childAge, message: input.details.message },
          submittedAt,
          idempotencyKey: input.idempotencyKey,
          workflowId: parentApplicationWorkflowId(number),
        },
      });
      await tx.caseEvent.create({ data: { applicationId: app.id, type: 'submitted', actor: input.actor } });
      return caseOf(app, course);
    });
  } catch (err) {
    // Two identical submissions raced: the other one stored the case; return it.
    if (isUniqueViolation(err)) {
      const winner = await db.application.findUnique({
        where: { idempotencyKey: input.idempotencyKey },
        include: { course: { include: { district: true } } },
      });
      if (winner) {
        await startCaseWorkflow(deps, caseOf(winner, winner.course));
        return { ok: true, caseNumber: winner.caseNumber, created: false };
      }
    }
    throw err;
  }
  await startCaseWorkflow(deps, created);
  return { ok: true, caseNumber: created.caseNumber, created: true };
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

function caseOf(
  app: { id: string; caseNumber: string; workflowId: string; courseId: string; kind: string },
  course: { district: { slug: string } | null },
): StartableCase {
  return {
    applicationId: app.id,
    caseNumber: app.caseNumber,
    workflowId: app.workflowId,
    courseId: app.courseId,
    kind: app.kind,
    districtSlug: course.district?.slug ?? 'webb',
  };
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
  try {
    await deps.temporal.workflow.start(PARENT_APPLICATION, {
      workflowId: app.workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: CaseNumberKey, value: app.caseNumber },
        { key: CaseKindKey, value: PARENT_APPLICATION },
        { key: DistrictKey, value: input.districtSlug },
        { key: CaseStatusKey, value: 'submitted' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
