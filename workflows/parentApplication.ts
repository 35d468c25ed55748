// A parent's case, from application to completion (R2, R4): the leader's decision, the queue and
// seat offers, the course with its reminders and surveys (or the web course's guidance), the final
// evaluation. The workflow owns the process; every side effect is an activity. Every message is
// checked against the rules (rules/parentCase.ts) by its validator before it is accepted, and
// again when its turn comes. The state holds everything needed to go on, so the case survives
// continueAsNew and worker restarts.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { acts, noticeActivities } from './activities';
import type { CourseSchedule } from '../activities/courseProgress';
import type { SurveyKind } from '../lib/surveys/invitations';
import type { CaseTimings } from '../lib/settings';
import { canAnswerOffer, canDecide, canMoveToQueue, canWithdraw, DECISIONS, isParentCaseClosed } from '../rules/parentCase';
import { canChangeDeadline } from '../rules/deadlines';
import { refuse } from '../rules/refusals';
import {
  answerOfferUpdate,
  decideUpdate,
  guidanceFinishedSignal,
  scheduleChangedSignal,
  seatOfferedSignal,
  statusQuery,
  surveyAnsweredSignal,
  type AnswerOfferInput,
  type AnswerOfferResult,
  type CaseStatus,
  type DecideInput,
  type DecideResult,
  type NoticeKind,
  type ParentApplicationInput,
  type ParentApplicationState,
  type SeatOfferState,
} from './parentApplication.messages';
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
import { stopGuidanceSignal, WEB_COURSE_GUIDANCE, webCourseGuidanceWorkflowId } from './webCourseGuidance.messages';
import { passOnSeats } from './seatOffers';
import { caseRuntime, historyIsLong } from './runtime';
import { assertAllowed } from './refusal';
import { FINAL_OPENED, planCourse, SESSION_SURVEYS, type CourseStep } from './coursePlanner';
import {
  CaseKindKey,
  CaseNumberKey,
  CaseStatusKey,
  CourseKey,
  DistrictKey,
  INSPECTOR_ATTRIBUTES_PATCH,
  WaitingForKey,
  WaitingSinceKey,
} from './searchAttributes';

interface PendingNotice {
  kind: NoticeKind;
  step: string;
  details?: { sessionId?: string; courseId?: string; expiresAt?: string; moduleNumber?: number };
}

export async function parentApplication(input: ParentApplicationInput): Promise<ParentApplicationState> {
  const wfId = workflowInfo().workflowId;
  const state: ParentApplicationState = input.state ?? {
    caseNumber: input.caseNumber,
    status: 'submitted',
    courseId: input.courseId,
    waitingFor: 'confirmation',
    queuePosition: null,
    offer: null,
    decisions: 0,
    noticesSent: [],
    done: [],
    surveyReminders: [],
    guidanceFinished: false,
    finalAnswered: false,
    finalDeadline: null,
    updatedAt: new Date().toISOString(),
  };
  const pending: PendingNotice[] = [];
  const seatsToPassOn: string[] = [];
  /** Seat offers received; taken up if the case is still queued, otherwise released and passed on. */
  const incomingOffers: SeatOfferState[] = [];
  let schedule: CourseSchedule | null = null;
  let timings: CaseTimings | null = null;

  const runtime = caseRuntime<CaseStatus, NonNullable<ParentApplicationState['waitingFor']>>(state, input.historyLimit);
  const { touch, setStatus, exclusively, waitFor } = runtime;
  const isClosed = () => isParentCaseClosed(state.status);
  const isDone = (key: string) => state.done.includes(key);
  const markDone = (key: string) => void (isDone(key) || state.done.push(key));
  const loadTimings = async () => (timings ??= await acts.loadCaseTimings());

  setHandler(statusQuery, () => state);

  // The leader admits or queues (R3.4); capacity is checked by the activity under the course lock.
  setHandler(
    decideUpdate,
    ({ decision, actorId }: DecideInput): Promise<DecideResult> =>
      exclusively(async () => {
        if (!canDecide(state.status, decision).ok) return refuse('not-decidable');
        const step = `decision-${state.decisions + 1}`;
        const result = await acts.applyDecision({
          caseNumber: state.caseNumber,
          applicationId: input.applicationId,
          decision,
          actorId,
          dedupeKey: `${wfId}:${step}`,
        });
        if (result.ok) {
          state.decisions += 1;
          state.queuePosition = result.queuePosition;
          setStatus(result.status);
          pending.push({ kind: result.status === 'admitted' ? 'admitted' : 'queued', step });
        }
        return result;
      }),
    {
      validator: ({ decision }: DecideInput) => {
        if (!DECISIONS.includes(decision)) throw new Error('Okänt beslut');
        assertAllowed(canDecide(state.status, decision));
      },
    },
  );

  // The parent withdraws, or a leader removes them (R2.9); a freed seat goes to the queue.
  setHandler(
    withdrawUpdate,
    ({ actorId, byStaff }: WithdrawInput): Promise<WithdrawResult> =>
      exclusively(async () => {
        if (!canWithdraw(state.status).ok) return refuse('not-withdrawable');
        const result = await acts.withdrawCase({ applicationId: input.applicationId, actorId, byStaff, dedupeKey: `${wfId}:withdraw` });
        if (!result.withdrawn) return refuse('not-withdrawable');
        state.offer = null;
        setStatus('withdrawn');
        if (result.freedCourseId) seatsToPassOn.push(result.freedCourseId);
        await stopGuidance();
        pending.push({ kind: byStaff ? 'removed' : 'withdrawn', step: 'withdraw' });
        return { ok: true };
      }),
    { validator: (_: WithdrawInput) => assertAllowed(canWithdraw(state.status)) },
  );

  // A supervisor moves a stuck case back to the queue (R9.4): an offer lapses, a seat is passed on.
  setHandler(
    moveToQueueUpdate,
    ({ actorId }: MoveToQueueInput): Promise<MoveToQueueResult> =>
      exclusively(async () => {
        if (!canMoveToQueue(state.status).ok) return refuse('not-movable');
        const step = `decision-${state.decisions + 1}`;
        const result = await acts.moveCaseToQueue({ applicationId: input.applicationId, actorId, dedupeKey: `${wfId}:${step}` });
        if (!result.moved) return refuse('not-movable');
        state.decisions += 1;
        state.offer = null;
        state.queuePosition = result.queuePosition;
        await stopGuidance();
        state.done = state.done.filter((key) => key !== 'guidance-started');
        schedule = null;
        if (result.freedCourseId) seatsToPassOn.push(result.freedCourseId);
        setStatus('queued');
        pending.push({ kind: 'queued', step });
        return { ok: true, status: 'queued', queuePosition: result.queuePosition };
      }),
    { validator: (_: MoveToQueueInput) => assertAllowed(canMoveToQueue(state.status)) },
  );

  // The parent accepts or declines an offered seat before its deadline (R2.9).
  setHandler(
    answerOfferUpdate,
    ({ accept, actorId }: AnswerOfferInput): Promise<AnswerOfferResult> =>
      exclusively(async () => {
        const offer = state.offer;
        if (state.status !== 'offered' || !offer) return refuse('no-offer');
        const result = await acts.answerSeatOffer({
          applicationId: input.applicationId,
          offerId: offer.offerId,
          accept,
          actorId,
          dedupeKey: `${wfId}:answer-${offer.offerId}`,
        });
        state.offer = null;
        if (result.ok && result.status === 'admitted') {
          state.courseId = offer.courseId;
          if (patched(INSPECTOR_ATTRIBUTES_PATCH)) upsertSearchAttributes([{ key: CourseKey, value: offer.courseId }]);
          schedule = null;
          setStatus('admitted');
          pending.push({ kind: 'admitted', step: `accepted-${offer.offerId}` });
        } else {
          setStatus('queued');
          seatsToPassOn.push(offer.courseId);
          if (!result.ok) pending.push({ kind: 'offerExpired', step: `expire-${offer.offerId}` });
        }
        return result;
      }),
    { validator: (_: AnswerOfferInput) => assertAllowed(canAnswerOffer(state, Date.now())) },
  );

  // Staff give the parent more (or less) time to answer an offer (feature table row 64).
  setHandler(
    changeDeadlineUpdate,
    (change: ChangeDeadlineInput): Promise<ChangeDeadlineResult> =>
      exclusively(async () => {
        const verdict = offerDeadlineChange(change);
        if (!verdict.ok) return verdict;
        const offer = state.offer!;
        await acts.changeOfferDeadline({
          applicationId: input.applicationId,
          offerId: offer.offerId,
          expiresAt: change.deadline,
          actorId: change.actorId,
          dedupeKey: `${wfId}:deadline-${offer.offerId}-${change.deadline}`,
        });
        state.offer = { ...offer, expiresAt: change.deadline };
        pending.push({ kind: 'deadlineChanged', step: `deadline-${offer.offerId}-${change.deadline}`, details: { expiresAt: change.deadline } });
        return { ok: true, deadline: change.deadline };
      }),
    { validator: (change: ChangeDeadlineInput) => assertAllowed(offerDeadlineChange(change)) },
  );

  setHandler(seatOfferedSignal, (offer) => {
    incomingOffers.push(offer);
    touch();
  });

  setHandler(scheduleChangedSignal, ({ sessionId }) => {
    if (state.status !== 'admitted') return;
    schedule = null;
    timings = null;
    pending.push({ kind: 'scheduleChanged', step: `schedule-${uuid4()}`, details: { sessionId } });
    touch();
  });

  setHandler(surveyAnsweredSignal, ({ kind }) => {
    if (kind === 'courseEvaluation' && state.finalDeadline) state.finalAnswered = true;
    touch();
  });

  setHandler(guidanceFinishedSignal, () => {
    state.guidanceFinished = true;
    touch();
  });

  // The process: the confirmation (R2.3, R2.4), then until the case closes: the decision, an
  // offered seat's answer, the course and its final evaluation.
  if (!state.noticesSent.includes('confirmation')) await notify({ kind: 'confirmation', step: 'confirmation' });

  while (!isClosed()) {
    await housekeeping();
    if (isClosed()) break;
    if (historyIsLong(input.historyLimit)) await continueAsNewWhenSettled();
    const woken = runtime.changedSinceNow();
    if (state.status === 'offered') await awaitOfferAnswer(woken);
    else if (state.status === 'admitted') await followCourse(woken);
    else await awaitDecision(woken);
  }
  await housekeeping();
  waitFor(null);
  return state;

  async function awaitDecision(woken: () => boolean): Promise<void> {
    waitFor('decision');
    await condition(woken);
  }

  async function awaitOfferAnswer(woken: () => boolean): Promise<void> {
    waitFor('offerAnswer');
    const offer = state.offer!;
    const left = Date.parse(offer.expiresAt) - Date.now();
    if (left > 0 && (await condition(woken, left))) return;
    await exclusively(async () => {
      if (state.status !== 'offered' || state.offer?.offerId !== offer.offerId) return;
      // Moved meanwhile (a changed deadline): the next round waits for the new one.
      if (Date.parse(state.offer.expiresAt) > Date.now()) return;
      await acts.expireSeatOffer({ offerId: offer.offerId, dedupeKey: `${wfId}:expire-${offer.offerId}` });
      state.offer = null;
      setStatus('queued');
      seatsToPassOn.push(offer.courseId);
      pending.push({ kind: 'offerExpired', step: `expire-${offer.offerId}` });
    });
  }

  /** After admission: do the next planned step (coursePlanner.ts), or wait for it or for a message. */
  async function followCourse(woken: () => boolean): Promise<void> {
    const t = await loadTimings();
    if (input.kind === 'webCourse' && !isDone('guidance-started')) return startGuidance();
    if (input.kind === 'groupCourse') schedule ??= await acts.courseSchedule({ courseId: state.courseId });
    const plan = planCourse({
      kind: input.kind,
      sessions: schedule?.sessions ?? null,
      reminderLeadMs: t.reminderLeadMs,
      done: state.done,
      guidanceFinished: state.guidanceFinished,
      finalAnswered: state.finalAnswered,
      finalDeadline: state.finalDeadline,
      surveyReminders: state.surveyReminders,
      now: Date.now(),
    });
    plan.skipped.forEach(markDone);
    waitFor(plan.waitingFor);
    const now = Date.now();
    if (plan.next && plan.next.at <= now) return takeStep(plan.next, t);
    await condition(woken, plan.next ? plan.next.at - now : undefined);
  }

  async function takeStep(step: CourseStep, t: CaseTimings): Promise<void> {
    switch (step.kind) {
      case 'sessionReminder':
        await notify({ kind: 'sessionReminder', step: step.key, details: { sessionId: step.sessionId } });
        return markDone(step.key);
      case 'sessionSurveys':
        return openRound(step.key, { sessionId: step.sessionId, kinds: [...SESSION_SURVEYS] }, t);
      case 'openFinalEvaluation': {
        const kinds: SurveyKind[] = input.kind === 'webCourse' ? ['postMeasurement', 'courseEvaluation'] : ['courseEvaluation'];
        await openRound(FINAL_OPENED, { kinds }, t);
        state.finalDeadline = new Date(Date.now() + t.completionWindowMs).toISOString();
        return;
      }
      case 'closeCompleted':
        return close('completed');
      case 'closeAtDeadline':
        return close((await acts.finalEvaluationAnswered({ roundKey: `${wfId}:final` })) ? 'completed' : 'notCompleted');
      case 'surveyReminder': {
        const { unanswered } = await acts.unansweredInRound({ roundKey: step.key });
        if (unanswered > 0) await notify({ kind: 'surveyReminder', step: `remind-${step.key}` });
        state.surveyReminders = state.surveyReminders.filter((x) => x.key !== step.key);
        return;
      }
    }
  }

  async function close(status: 'completed' | 'notCompleted'): Promise<void> {
    await acts.closeCase({ applicationId: input.applicationId, status, dedupeKey: `${wfId}:close` });
    setStatus(status);
    pending.push({ kind: status, step: 'close' });
  }

  /** Opens a survey round, tells the parent, and plans its one reminder. */
  async function openRound(doneKey: string, round: { sessionId?: string; kinds: SurveyKind[] }, t: CaseTimings): Promise<void> {
    const roundKey = doneKey === FINAL_OPENED ? `${wfId}:final` : `${wfId}:${doneKey}`;
    const { opened } = await acts.openSurveyRound({
      applicationId: input.applicationId,
      courseId: state.courseId,
      sessionId: round.sessionId ?? null,
      kinds: round.kinds,
      roundKey,
    });
    if (opened > 0) {
      await notify({ kind: 'surveysOpen', step: `surveys-${doneKey}` });
      state.surveyReminders.push({ key: roundKey, at: new Date(Date.now() + t.surveyReminderMs).toISOString() });
    }
    markDone(doneKey);
  }

  async function notify(notice: PendingNotice): Promise<void> {
    await noticeActivities().sendCaseNotice({
      caseNumber: state.caseNumber,
      applicationId: input.applicationId,
      notice: notice.kind,
      details: notice.details,
      // Distinct from the decision's key: a notice and its decision are two case events.
      idempotencyKey: `${wfId}:notice-${notice.step}`,
    });
    state.noticesSent.push(notice.kind);
    touch();
  }

  /** Sends what is due to be told, releases offers the case cannot take, passes freed seats on. */
  async function housekeeping(): Promise<void> {
    for (;;) {
      // Sending is a moment, not a wait: the stable waiting-for (and its since) is left alone when idle.
      if (pending.length || incomingOffers.length || seatsToPassOn.length) state.waitingFor = 'notice';
      if (pending.length) {
        await notify(pending[0]);
        pending.shift();
      } else if (incomingOffers.length) {
        await takeUpOffer(incomingOffers[0]);
        incomingOffers.shift();
      } else if (seatsToPassOn.length) {
        await passOnSeats(seatsToPassOn[0], (await loadTimings()).offerTtlMs);
        seatsToPassOn.shift();
      } else return;
    }
  }

  /** Everything in flight finishes and is told before the history starts afresh. */
  async function continueAsNewWhenSettled(): Promise<void> {
    while (runtime.busy || !allHandlersFinished() || pending.length || incomingOffers.length || seatsToPassOn.length) {
      await condition(() => !runtime.busy && allHandlersFinished());
      await housekeeping();
    }
    if (!isClosed()) await continueAsNew<typeof parentApplication>({ ...input, state });
  }

  async function takeUpOffer(offer: SeatOfferState): Promise<void> {
    await exclusively(async () => {
      if (state.status === 'queued' && !state.offer) {
        state.offer = offer;
        setStatus('offered');
        await notify({ kind: 'offered', step: `offer-${offer.offerId}`, details: { courseId: offer.courseId, expiresAt: offer.expiresAt } });
        return;
      }
      // Withdrawn or admitted meanwhile: the seat goes to the next in the queue.
      await acts.expireSeatOffer({ offerId: offer.offerId, dedupeKey: `${wfId}:release-${offer.offerId}` });
      seatsToPassOn.push(offer.courseId);
    });
  }

  /** Web course: the parent's guide and their own long-lived guidance workflow (R5). */
  async function startGuidance(): Promise<void> {
    await acts.assignGuide({ applicationId: input.applicationId });
    await startChild(WEB_COURSE_GUIDANCE, {
      workflowId: webCourseGuidanceWorkflowId(state.caseNumber),
      args: [{ caseNumber: state.caseNumber, applicationId: input.applicationId, courseId: state.courseId, parentWorkflowId: wfId }],
      // The guidance outlives this run when the case continues as new.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: CaseNumberKey, value: state.caseNumber },
        { key: CaseKindKey, value: WEB_COURSE_GUIDANCE },
        { key: DistrictKey, value: input.districtSlug },
        { key: CaseStatusKey, value: 'admitted' },
        ...(patched(INSPECTOR_ATTRIBUTES_PATCH)
          ? [
              { key: CourseKey, value: state.courseId },
              { key: WaitingForKey, value: 'moduleSignOff' },
              { key: WaitingSinceKey, value: new Date() },
            ]
          : []),
      ],
    });
    markDone('guidance-started');
  }

  async function stopGuidance(): Promise<void> {
    if (!isDone('guidance-started')) return;
    await getExternalWorkflowHandle(webCourseGuidanceWorkflowId(state.caseNumber)).signal(stopGuidanceSignal).catch(() => undefined);
  }

  /** Only the offer's answer deadline runs in a parent's case. */
  function offerDeadlineChange(change: ChangeDeadlineInput) {
    return canChangeDeadline({
      caseClosed: isClosed(),
      current: change.kind === 'offerAnswer' && state.status === 'offered' ? (state.offer?.expiresAt ?? null) : null,
      next: change.deadline,
      now: Date.now(),
    });
  }
}
