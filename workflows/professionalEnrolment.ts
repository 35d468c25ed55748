// A professional's enrolment in a Komet training, from application to certificate (R6, R7.3,
// R8.6, R8.8): the manager's consent (one reminder, then a deadline), the instructor's admission
// or queue with a reason, invoices chased on their due dates, "Godkänd" once the training is
// completed, and the certificate issued once. Every message is checked against the rules
// (rules/enrolmentCase.ts, rules/training.ts) by its validator before it is accepted.
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { acts, noticeActivities } from './activities';
import type { CourseSchedule } from '../activities/courseProgress';
import type { CaseTimings } from '../lib/settings';
import {
  enrolmentStatusQuery,
  instructorDecisionUpdate,
  invoiceIssuedSignal,
  invoicePaidSignal,
  issueCertificateUpdate,
  managerDecisionUpdate,
  markApprovedUpdate,
  type EnrolmentNotice,
  type EnrolmentStatus,
  type InstructorDecisionInput,
  type InstructorDecisionResult,
  type IssueCertificateInput,
  type IssueCertificateResult,
  type ManagerDecisionInput,
  type ManagerDecisionResult,
  type MarkApprovedInput,
  type MarkApprovedResult,
  type ProfessionalEnrolmentInput,
  type ProfessionalEnrolmentState,
} from './professionalEnrolment.messages';
import {
  changeDeadlineUpdate,
  moveToQueueUpdate,
  withdrawUpdate,
  type ChangeDeadlineInput,
  type ChangeDeadlineResult,
  type MoveToQueueInput,
  type MoveToQueueResult,
  type WithdrawInput,
  type WithdrawResult,
} from './case.messages';
import { caseRuntime, historyIsLong } from './runtime';
import { assertAllowed } from './refusal';
import { canInstructorDecide, canManagerDecide, canMoveToQueue, canTransition, canWithdraw, isEnrolmentClosed, isParticipant } from '../rules/enrolmentCase';
import { canChangeDeadline } from '../rules/deadlines';
import { refuse } from '../rules/refusals';

/** Runs that issued a certificate before this patch did not mark themselves completed. */
const CERTIFICATE_COMPLETES_PATCH = 'enrolment-certificate-completes';

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

  const runtime = caseRuntime<EnrolmentStatus, NonNullable<ProfessionalEnrolmentState['waitingFor']>>(state, input.historyLimit);

  const { touch, setStatus, exclusively, waitFor } = runtime;

  setHandler(enrolmentStatusQuery, () => state);

  const isClosed = () => isEnrolmentClosed(state.status);
  const hasCertificate = () => !!state.certificateNumber;

  setHandler(managerDecisionUpdate, ({ consentRequestId, decision }: ManagerDecisionInput): Promise<ManagerDecisionResult> =>
    exclusively(async () => {
      if (!canManagerDecide(state.status).ok) return refuse('not-awaiting');
      const result = await acts.recordManagerDecision({ applicationId: input.applicationId, consentRequestId, decision });
      if (result.ok) {
        setStatus(result.status);
        pending.push({ notice: decision === 'approved' ? 'consentApproved' : 'consentDeclined', step: 'consent' });
      }
      return result;
    }),
    { validator: (_: ManagerDecisionInput) => assertAllowed(canManagerDecide(state.status)) },
  );

  setHandler(instructorDecisionUpdate, ({ decision, groupId, actorId }: InstructorDecisionInput): Promise<InstructorDecisionResult> =>
    exclusively(async () => {
      if (!canInstructorDecide(state.status, decision).ok) return refuse('not-decidable');
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
    { validator: ({ decision }: InstructorDecisionInput) => assertAllowed(canInstructorDecide(state.status, decision)) },
  );

  // The professional may withdraw at any time before the certificate, like a parent (R2.9, R6).
  setHandler(withdrawUpdate, ({ actorId, byStaff }: WithdrawInput): Promise<WithdrawResult> =>
    exclusively(async () => {
      if (!canWithdraw(state.status, hasCertificate()).ok) return refuse('not-withdrawable');
      const result = await acts.withdrawCase({ applicationId: input.applicationId, actorId, byStaff, dedupeKey: `${wfId}:withdraw` });
      if (!result.withdrawn) return refuse('not-withdrawable');
      await acts.closeConsentRequest({ applicationId: input.applicationId });
      setStatus('withdrawn');
      return { ok: true };
    }),
    { validator: (_: WithdrawInput) => assertAllowed(canWithdraw(state.status, hasCertificate())) },
  );

  // A supervisor moves a stuck enrolment back to the queue (R9.4); a held group seat is freed.
  setHandler(moveToQueueUpdate, ({ actorId }: MoveToQueueInput): Promise<MoveToQueueResult> =>
    exclusively(async () => {
      if (!canMoveToQueue(state.status, hasCertificate()).ok) return refuse('not-movable');
      const step = `decision-${state.noticesSent.length}-requeue`;
      const result = await acts.moveCaseToQueue({ applicationId: input.applicationId, actorId, dedupeKey: `${wfId}:${step}` });
      if (!result.moved) return refuse('not-movable');
      setStatus('queued');
      pending.push({ notice: 'queued', step });
      return { ok: true, status: 'queued', queuePosition: result.queuePosition };
    }),
    { validator: (_: MoveToQueueInput) => assertAllowed(canMoveToQueue(state.status, hasCertificate())) },
  );

  // Staff move a running deadline: the manager's consent or an invoice's due date (feature table row 64).
  setHandler(changeDeadlineUpdate, (change: ChangeDeadlineInput): Promise<ChangeDeadlineResult> =>
    exclusively(async () => {
      const verdict = deadlineChange(change);
      if (!verdict.ok) return verdict;
      const key = `${wfId}:deadline-${change.kind}-${change.invoiceId ?? ''}-${change.deadline}`;
      if (change.kind === 'managerConsent') {
        await acts.changeConsentDeadline({ applicationId: input.applicationId, deadline: change.deadline, actorId: change.actorId, dedupeKey: key });
        state.consentDeadline = change.deadline;
        // The manager's link carries its expiry: they get it again with the new one.
        await acts.remindManager({ applicationId: input.applicationId, idempotencyKey: `${key}:link` });
      } else {
        const invoice = state.openInvoices.find((i) => i.invoiceId === change.invoiceId)!;
        await acts.changeInvoiceDueDate({ applicationId: input.applicationId, invoiceId: invoice.invoiceId, dueDate: change.deadline, actorId: change.actorId, dedupeKey: key });
        invoice.dueDate = change.deadline;
        invoice.reminded = false;
      }
      pending.push({ notice: 'deadlineChanged', step: `deadline-${change.kind}-${change.invoiceId ?? ''}-${change.deadline}` });
      return { ok: true, deadline: change.deadline };
    }),
    { validator: (change: ChangeDeadlineInput) => assertAllowed(deadlineChange(change)) },
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

  // The certificate, once the training is completed and "Godkänd" set after it (R8.8); the activity
  // checks the records (sessions, attendance, approval) in rules/training.ts.
  setHandler(issueCertificateUpdate, ({ actorId }: IssueCertificateInput): Promise<IssueCertificateResult> =>
    exclusively(async () => {
      const result = await acts.issueEnrolmentCertificate({ applicationId: input.applicationId, actorId, dedupeKey: `${wfId}:certificate` });
      if (result.ok && !state.certificateNumber) {
        state.certificateNumber = result.number;
        // The certificate completes the training (rules/enrolmentCase.ts), as the activity recorded
        // (found by the model test: the workflow said admitted). Runs from before keep their history.
        if (canTransition(state.status, 'completed')) {
          if (patched(CERTIFICATE_COMPLETES_PATCH)) setStatus('completed');
          else state.status = 'completed';
        }
        pending.push({ notice: 'certificateIssued', step: 'certificate' });
      }
      return result;
    }),
    { validator: (_: IssueCertificateInput) => assertAllowed(hasCertificate() ? { ok: true } : isParticipant(state.status)) },
  );

  // "Godkänd" for the certificate, set once the training is completed, or withdrawn (R7.7).
  setHandler(markApprovedUpdate, ({ approved, actorId }: MarkApprovedInput): Promise<MarkApprovedResult> =>
    exclusively(async () => {
      if (!isParticipant(state.status).ok) return refuse('not-admitted');
      // Each approval set or withdrawn is its own step, with its own key.
      state.approvals = (state.approvals ?? 0) + 1;
      return acts.setApproval({ applicationId: input.applicationId, approved, actorId, dedupeKey: `${wfId}:approval-${state.approvals}` });
    }),
    { validator: (_: MarkApprovedInput) => assertAllowed(isParticipant(state.status)) },
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
    if (isClosed() || (state.certificateNumber && !chasing)) break;
    if (historyIsLong(input.historyLimit)) {
      // Everything in flight finishes (and its notices go out) before the history starts afresh.
      // Without this wait the loop's waits, which wake at once on a long history, would spin.
      if (runtime.busy || !allHandlersFinished()) {
        await condition(() => !runtime.busy && allHandlersFinished());
        continue;
      }
      await continueAsNew<typeof professionalEnrolment>({ ...input, state });
    }
    const woken = runtime.changedSinceNow();
    const t = await loadTimings();
    const now = Date.now();
    if (state.status === 'awaitingConsent') {
      waitFor('consent');
      const remindAt = askedAt + t.consentReminderMs;
      const deadline = state.consentDeadline ? Date.parse(state.consentDeadline) : askedAt + t.consentDeadlineMs;
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
        // A moved deadline may come before the reminder: then the deadline is what is waited for.
        const next = state.consentReminded ? deadline : state.consentDeadline ? Math.min(remindAt, deadline) : remindAt;
        await condition(woken, next - now);
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

  function deadlineChange(change: ChangeDeadlineInput) {
    const current =
      change.kind === 'managerConsent' && state.status === 'awaitingConsent'
        ? (state.consentDeadline ?? new Date(Date.parse(state.consentRequestedAt!) + (timings?.consentDeadlineMs ?? 0)).toISOString())
        : change.kind === 'invoiceDue'
          ? (state.openInvoices.find((i) => i.invoiceId === change.invoiceId)?.dueDate ?? null)
          : null;
    // An invoice is due on a day: it counts as moved into the past only if that whole day has passed.
    const next = change.kind === 'invoiceDue' && /^\d{4}-\d{2}-\d{2}$/.test(change.deadline) ? new Date(overdueFrom(change.deadline)).toISOString() : change.deadline;
    return canChangeDeadline({ caseClosed: isClosed() || hasCertificate(), current, next, now: Date.now() });
  }

  async function notify(n: { notice: EnrolmentNotice; step: string; invoiceId?: string }): Promise<void> {
    await noticeActivities().sendEnrolmentNotice({
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
