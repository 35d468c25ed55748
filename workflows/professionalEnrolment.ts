// A professional's enrolment in a Komet training, from application to certificate (R6, R7.3,
// R8.6, R8.8): the manager's consent (one reminder, then a deadline), the instructor's admission
// or queue with a reason, invoices chased on their due dates, and the certificate issued once.
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { acts } from './activities';
import type { CourseSchedule } from '../activities/courseProgress';
import type { CaseTimings } from '../lib/settings';
import {
  enrolmentStatusQuery,
  instructorDecisionUpdate,
  invoiceIssuedSignal,
  invoicePaidSignal,
  issueCertificateUpdate,
  managerDecisionUpdate,
  type EnrolmentNotice,
  type EnrolmentStatus,
  type InstructorDecisionResult,
  type IssueCertificateResult,
  type ManagerDecisionResult,
  type ProfessionalEnrolmentInput,
  type ProfessionalEnrolmentState,
} from './professionalEnrolment.messages';
import { moveToQueueUpdate, withdrawUpdate, type MoveToQueueResult, type WithdrawResult } from './case.messages';
import { caseRuntime } from './caseRuntime';


const CLOSED: readonly EnrolmentStatus[] = ['consentDeclined', 'noConsent', 'withdrawn', 'completed'];
/** A supervisor can put these back in the training's queue (R9.4). */
const MOVABLE_TO_QUEUE: readonly EnrolmentStatus[] = ['consented', 'admitted'];

export async function professionalEnrolment(input: ProfessionalEnrolmentInput): Promise<ProfessionalEnrolmentState> {
  const wfId = workflowInfo().workflowId;
  const state: ProfessionalEnrolmentState = input.state ?? {
    caseNumber: input.caseNumber,
    status: 'awaitingConsent',
    waitingFor: 'consent',
    consentRequestedAt: null,
    consentReminded: false,
    openInvoices: [],
    certificateNumber: null,
    noticesSent: [],
    updatedAt: new Date().toISOString(),
  };
  const pending: { notice: EnrolmentNotice; step: string; invoiceId?: string }[] = [];
  let timings: CaseTimings | null = null;
  let schedule: CourseSchedule | null = null;

  const runtime = caseRuntime<EnrolmentStatus, NonNullable<ProfessionalEnrolmentState['waitingFor']>>(state);
  const { touch, setStatus, exclusively, waitFor } = runtime;

  setHandler(enrolmentStatusQuery, () => state);

  setHandler(managerDecisionUpdate, ({ consentRequestId, decision }): Promise<ManagerDecisionResult> =>
    exclusively(async () => {
      if (state.status !== 'awaitingConsent') return { ok: false, code: 'not-awaiting' };
      const result = await acts.recordManagerDecision({ applicationId: input.applicationId, consentRequestId, decision });
      if (result.ok) {
        setStatus(result.status);
        pending.push({ notice: decision === 'approved' ? 'consentApproved' : 'consentDeclined', step: 'consent' });
      }
      return result;
    }),
  );

  setHandler(instructorDecisionUpdate, ({ decision, groupId, actorId }): Promise<InstructorDecisionResult> =>
    exclusively(async () => {
      const decidable = state.status === 'consented' || (state.status === 'queued' && decision === 'admit');
      if (!decidable) return { ok: false, code: 'not-decidable' };
      const step = `decision-${state.noticesSent.length}-${decision}`;
      const result = await acts.applyInstructorDecision({
        applicationId: input.applicationId,
        decision,
        groupId,
        actorId,
        dedupeKey: `${wfId}:${step}`,
      });
      if (result.ok) {
        setStatus(result.status);
        pending.push({ notice: result.status === 'admitted' ? 'admitted' : 'queued', step });
      }
      return result;
    }),
  );

  // The professional may withdraw at any time before the certificate, like a parent (R2.9, R6).
  setHandler(withdrawUpdate, ({ actorId, byStaff }): Promise<WithdrawResult> =>
    exclusively(async () => {
      if (CLOSED.includes(state.status) || state.certificateNumber) return { ok: false, code: 'not-withdrawable' };
      const result = await acts.withdrawCase({ applicationId: input.applicationId, actorId, byStaff, dedupeKey: `${wfId}:withdraw` });
      if (!result.withdrawn) return { ok: false, code: 'not-withdrawable' };
      await acts.closeConsentRequest({ applicationId: input.applicationId });
      setStatus('withdrawn');
      return { ok: true };
    }),
  );

  // A supervisor moves a stuck enrolment back to the queue (R9.4); a held group seat is freed.
  setHandler(moveToQueueUpdate, ({ actorId }): Promise<MoveToQueueResult> =>
    exclusively(async () => {
      if (!MOVABLE_TO_QUEUE.includes(state.status) || state.certificateNumber) return { ok: false, code: 'not-movable' };
      const step = `decision-${state.noticesSent.length}-requeue`;
      const result = await acts.moveCaseToQueue({ applicationId: input.applicationId, actorId, dedupeKey: `${wfId}:${step}` });
      if (!result.moved) return { ok: false, code: 'not-movable' };
      setStatus('queued');
      pending.push({ notice: 'queued', step });
      return { ok: true, status: 'queued', queuePosition: result.queuePosition };
    }),
  );

  setHandler(invoiceIssuedSignal, ({ invoiceId, dueDate }) => {
    if (!state.openInvoices.some((i) => i.invoiceId === invoiceId)) {
      state.openInvoices.push({ invoiceId, dueDate, reminded: false });
      pending.push({ notice: 'invoiceIssued', step: `invoice-${invoiceId}`, invoiceId });
    }
    touch();
  });

  setHandler(invoicePaidSignal, ({ invoiceId }) => {
    state.openInvoices = state.openInvoices.filter((i) => i.invoiceId !== invoiceId);
    touch();
  });

  setHandler(issueCertificateUpdate, ({ actorId }): Promise<IssueCertificateResult> =>
    exclusively(async () => {
      const result = await acts.issueEnrolmentCertificate({ applicationId: input.applicationId, actorId, dedupeKey: `${wfId}:certificate` });
      if (result.ok && !state.certificateNumber) {
        state.certificateNumber = result.number;
        pending.push({ notice: 'certificateIssued', step: 'certificate' });
      }
      return result;
    }),
  );

  const loadTimings = async () => (timings ??= await acts.loadCaseTimings());

  if (!state.consentRequestedAt) {
    await notify({ notice: 'confirmation', step: 'confirmation' });
    state.consentRequestedAt = new Date().toISOString();
    await acts.requestConsent({
      applicationId: input.applicationId,
      deadlineMs: (await loadTimings()).consentDeadlineMs,
      idempotencyKey: `${wfId}:consent-request`,
    });
  }
  const askedAt = Date.parse(state.consentRequestedAt!);

  for (;;) {
    while (pending.length) {
      await notify(pending[0]);
      pending.shift();
    }
    // A closed enrolment is done once its notices are out; an issued certificate closes it too,
    // though an invoice still unpaid keeps its due-date timer running (R8.6).
    const chasing = state.openInvoices.some((i) => !i.reminded);
    if (CLOSED.includes(state.status) || (state.certificateNumber && !chasing)) break;
    if (workflowInfo().continueAsNewSuggested && !runtime.busy && allHandlersFinished()) {
      await continueAsNew<typeof professionalEnrolment>({ ...input, state });
    }
    const woken = runtime.changedSinceNow();
    const t = await loadTimings();
    const now = Date.now();
    if (state.status === 'awaitingConsent') {
      waitFor('consent');
      const remindAt = askedAt + t.consentReminderMs;
      const deadline = askedAt + t.consentDeadlineMs;
      if (!state.consentReminded && now >= remindAt) {
        await acts.remindManager({ applicationId: input.applicationId, idempotencyKey: `${wfId}:consent-reminder` });
        state.consentReminded = true;
      } else if (now >= deadline) {
        await exclusively(async () => {
          if (state.status !== 'awaitingConsent') return;
          const { expired } = await acts.expireConsent({ applicationId: input.applicationId, dedupeKey: `${wfId}:consent-expired` });
          if (expired) {
            setStatus('noConsent');
            pending.push({ notice: 'noConsent', step: 'no-consent' });
          }
        });
      } else {
        await condition(woken, (state.consentReminded ? deadline : remindAt) - now);
      }
      continue;
    }
    const overdue = state.openInvoices.find((i) => !i.reminded && overdueFrom(i.dueDate) <= now);
    if (overdue) {
      // The due date passed: one reminder unless it was paid meanwhile (R8.6).
      if (!(await acts.invoicePaid({ invoiceId: overdue.invoiceId }))) {
        await acts.markInvoiceReminded({ invoiceId: overdue.invoiceId });
        await notify({ notice: 'invoiceOverdue', step: `overdue-${overdue.invoiceId}`, invoiceId: overdue.invoiceId });
      }
      overdue.reminded = true;
      continue;
    }
    // During the training: each session's evaluation and progress surveys open when it ends, for
    // those who came, as for parents (R6.5, R7.5). Sessions over before admission are skipped.
    let sessionEnds: number[] = [];
    if (state.status === 'admitted') {
      schedule ??= await acts.courseSchedule({ courseId: input.courseId });
      state.surveyedSessions ??= schedule.sessions.filter((x) => Date.parse(x.endsAt) <= now).map((x) => x.id);
      const ended = schedule.sessions.find((x) => !state.surveyedSessions!.includes(x.id) && Date.parse(x.endsAt) <= now);
      if (ended) {
        const { opened } = await acts.openSurveyRound({
          applicationId: input.applicationId,
          courseId: input.courseId,
          sessionId: ended.id,
          kinds: ['sessionEvaluation', 'progress'],
          roundKey: `${wfId}:surveys:${ended.id}`,
        });
        if (opened > 0) await notify({ notice: 'surveysOpen', step: `surveys-${ended.id}` });
        state.surveyedSessions.push(ended.id);
        continue;
      }
      sessionEnds = schedule.sessions.filter((x) => !state.surveyedSessions!.includes(x.id)).map((x) => Date.parse(x.endsAt));
    }
    waitFor(
      state.status === 'consented' || state.status === 'queued'
        ? 'admission'
        : sessionEnds.length
          ? 'training'
          : state.openInvoices.length
            ? 'payment'
            : 'certificate',
    );
    const nextDue = [...sessionEnds, ...state.openInvoices.filter((i) => !i.reminded).map((i) => overdueFrom(i.dueDate))];
    await condition(woken, nextDue.length ? Math.max(1, Math.min(...nextDue) - now) : undefined);
  }
  waitFor(null);
  return state;

  async function notify(n: { notice: EnrolmentNotice; step: string; invoiceId?: string }): Promise<void> {
    await acts.sendEnrolmentNotice({
      applicationId: input.applicationId,
      notice: n.notice,
      invoiceId: n.invoiceId,
      idempotencyKey: `${wfId}:notice-${n.step}`,
    });
    state.noticesSent.push(n.notice);
    touch();
  }
}

/** An invoice is overdue once its due day has passed (a date-time due date counts as given). */
function overdueFrom(dueDate: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(dueDate) ? Date.parse(`${dueDate}T00:00:00Z`) + 24 * 3_600_000 : Date.parse(dueDate);
}
