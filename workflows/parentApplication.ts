// A parent's case, from application to completion (R2, R4): decision, queue and seat offers,
// reminders before every session, surveys after it, the web course's guidance, the final
// evaluation. The workflow owns the process; every side effect is an activity. The state holds
// everything needed to go on, so the case survives continueAsNew and worker restarts.
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
import { acts } from './activities';
import type { CourseSchedule } from '../activities/courseProgress';
import type { SurveyKind } from '../lib/surveys/invitations';
import type { CaseTimings } from '../lib/settings';
import {
  answerOfferUpdate,
  decideUpdate,
  guidanceFinishedSignal,
  scheduleChangedSignal,
  seatOfferedSignal,
  statusQuery,
  surveyAnsweredSignal,
  type AnswerOfferResult,
  type CaseStatus,
  type DecideInput,
  type DecideResult,
  type NoticeKind,
  type ParentApplicationInput,
  type ParentApplicationState,
  type SeatOfferState,
} from './parentApplication.messages';
import { stopGuidanceSignal, WEB_COURSE_GUIDANCE, webCourseGuidanceWorkflowId } from './webCourseGuidance.messages';
import { passOnSeats } from './seatOffers';
import { caseRuntime } from './caseRuntime';
import { moveToQueueUpdate, withdrawUpdate, type MoveToQueueResult, type WithdrawResult } from './case.messages';
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


const CLOSED: readonly CaseStatus[] = ['withdrawn', 'completed', 'notCompleted', 'closed'];
const SESSION_SURVEYS = ['sessionEvaluation', 'progress'] as const;
/** A supervisor can put these back in the queue (R9.4). */
const MOVABLE_TO_QUEUE: readonly CaseStatus[] = ['submitted', 'offered', 'admitted'];

interface PendingNotice {
  kind: NoticeKind;
  step: string;
  details?: { sessionId?: string; courseId?: string; expiresAt?: string; moduleNumber?: number };
}

/** One thing the case will do at a given time, e.g. a reminder before a session. */
interface PlannedStep {
  at: number;
  run: () => Promise<void>;
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

  const runtime = caseRuntime<CaseStatus, NonNullable<ParentApplicationState['waitingFor']>>(state);
  const { touch, setStatus, exclusively, waitFor } = runtime;
  const isDone = (key: string) => state.done.includes(key);
  const markDone = (key: string) => void (isDone(key) || state.done.push(key));
  const loadTimings = async () => (timings ??= await acts.loadCaseTimings());

  setHandler(statusQuery, () => state);

  setHandler(
    decideUpdate,
    ({ decision, actorId }: DecideInput): Promise<DecideResult> =>
      exclusively(async () => {
        if (!canDecide(state, decision)) return { ok: false, code: 'not-decidable' };
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
        if (decision !== 'admit' && decision !== 'queue') throw new Error('Okänt beslut');
      },
    },
  );

  setHandler(withdrawUpdate, ({ actorId, byStaff }): Promise<WithdrawResult> =>
    exclusively(async () => {
      if (CLOSED.includes(state.status)) return { ok: false, code: 'not-withdrawable' };
      const result = await acts.withdrawCase({ applicationId: input.applicationId, actorId, byStaff, dedupeKey: `${wfId}:withdraw` });
      if (!result.withdrawn) return { ok: false, code: 'not-withdrawable' };
      state.offer = null;
      setStatus('withdrawn');
      if (result.freedCourseId) seatsToPassOn.push(result.freedCourseId);
      await stopGuidance();
      pending.push({ kind: byStaff ? 'removed' : 'withdrawn', step: 'withdraw' });
      return { ok: true };
    }),
  );

  // A supervisor moves a stuck case back to the queue (R9.4): an offer lapses, a seat is passed on.
  setHandler(moveToQueueUpdate, ({ actorId }): Promise<MoveToQueueResult> =>
    exclusively(async () => {
      if (!MOVABLE_TO_QUEUE.includes(state.status)) return { ok: false, code: 'not-movable' };
      const step = `decision-${state.decisions + 1}`;
      const result = await acts.moveCaseToQueue({ applicationId: input.applicationId, actorId, dedupeKey: `${wfId}:${step}` });
      if (!result.moved) return { ok: false, code: 'not-movable' };
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
  );

  setHandler(answerOfferUpdate, ({ accept, actorId }): Promise<AnswerOfferResult> =>
    exclusively(async () => {
      const offer = state.offer;
      if (state.status !== 'offered' || !offer) return { ok: false, code: 'no-offer' };
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

  if (!state.noticesSent.includes('confirmation')) await notify({ kind: 'confirmation', step: 'confirmation' });

  while (!CLOSED.includes(state.status)) {
    await housekeeping();
    if (CLOSED.includes(state.status)) break;
    if (workflowInfo().continueAsNewSuggested) {
      // Everything in flight finishes and is told before the history starts afresh.
      while (runtime.busy || !allHandlersFinished() || pending.length || incomingOffers.length || seatsToPassOn.length) {
        await condition(() => !runtime.busy && allHandlersFinished());
        await housekeeping();
      }
      if (!CLOSED.includes(state.status)) await continueAsNew<typeof parentApplication>({ ...input, state });
    }
    const woken = runtime.changedSinceNow();
    if (state.status === 'offered') await awaitOfferAnswer(woken);
    else if (state.status === 'admitted') await followCourse(woken);
    else {
      waitFor('decision');
      await condition(woken);
    }
  }
  await housekeeping();
  waitFor(null);
  return state;

  async function notify(notice: PendingNotice): Promise<void> {
    await acts.sendCaseNotice({
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

  async function awaitOfferAnswer(woken: () => boolean): Promise<void> {
    waitFor('offerAnswer');
    const offer = state.offer!;
    const left = Date.parse(offer.expiresAt) - Date.now();
    if (left > 0 && (await condition(woken, left))) return;
    await exclusively(async () => {
      if (state.status !== 'offered' || state.offer?.offerId !== offer.offerId) return;
      await acts.expireSeatOffer({ offerId: offer.offerId, dedupeKey: `${wfId}:expire-${offer.offerId}` });
      state.offer = null;
      setStatus('queued');
      seatsToPassOn.push(offer.courseId);
      pending.push({ kind: 'offerExpired', step: `expire-${offer.offerId}` });
    });
  }

  /** After admission: do the next planned step, or wait for it (or for a message). */
  async function followCourse(woken: () => boolean): Promise<void> {
    const t = await loadTimings();
    let steps: PlannedStep[];
    if (input.kind === 'webCourse') {
      if (!isDone('guidance-started')) return startGuidance();
      steps = state.guidanceFinished ? finalSteps(t) : [];
      waitFor(state.guidanceFinished ? 'finalEvaluation' : 'guidance');
    } else {
      schedule ??= await acts.courseSchedule({ courseId: state.courseId });
      steps = sessionSteps(schedule, t);
      const finished = !steps.length || steps.every((s) => s.at === Infinity);
      if (finished) steps = finalSteps(t);
      waitFor(finished ? 'finalEvaluation' : 'nextSession');
    }
    steps.push(...surveyReminderSteps());
    const next = steps.reduce<PlannedStep | null>((a, b) => (!a || b.at < a.at ? b : a), null);
    const now = Date.now();
    if (next && next.at <= now) return next.run();
    await condition(woken, next && next.at !== Infinity ? next.at - now : undefined);
  }

  /** Reminders before sessions and survey rounds after them; sessions over before admission are skipped. */
  function sessionSteps(plan: CourseSchedule, t: CaseTimings): PlannedStep[] {
    const now = Date.now();
    if (!isDone('course-planned')) {
      for (const s of plan.sessions) if (Date.parse(s.endsAt) <= now) markDone(`surveys:${s.id}`);
      markDone('course-planned');
    }
    const steps: PlannedStep[] = [];
    for (const s of plan.sessions) {
      const start = Date.parse(s.startsAt);
      const reminderKey = `reminder:${s.id}:${s.startsAt}`;
      if (!isDone(reminderKey) && start > now) {
        steps.push({
          at: start - t.reminderLeadMs,
          run: async () => {
            await notify({ kind: 'sessionReminder', step: reminderKey, details: { sessionId: s.id } });
            markDone(reminderKey);
          },
        });
      }
      const surveysKey = `surveys:${s.id}`;
      if (!isDone(surveysKey)) {
        steps.push({
          at: Date.parse(s.endsAt),
          run: () => openRound(surveysKey, { sessionId: s.id, kinds: [...SESSION_SURVEYS] }, t),
        });
      }
    }
    // A schedule with only finished sessions has nothing left: the final steps follow.
    return steps.length ? steps : [];
  }

  /** The final evaluation opens; answered closes the case as completed, silence as not completed (R2.8). */
  function finalSteps(t: CaseTimings): PlannedStep[] {
    const roundKey = `${wfId}:final`;
    if (!isDone('final-opened')) {
      const kinds = input.kind === 'webCourse' ? (['postMeasurement', 'courseEvaluation'] as const) : (['courseEvaluation'] as const);
      return [
        {
          at: Date.now(),
          run: async () => {
            await openRound('final-opened', { kinds: [...kinds] }, t);
            state.finalDeadline = new Date(Date.now() + t.completionWindowMs).toISOString();
          },
        },
      ];
    }
    const close = async (status: 'completed' | 'notCompleted') => {
      await acts.closeCase({ applicationId: input.applicationId, status, dedupeKey: `${wfId}:close` });
      setStatus(status);
      pending.push({ kind: status, step: 'close' });
    };
    if (state.finalAnswered) return [{ at: Date.now(), run: () => close('completed') }];
    return [
      {
        at: Date.parse(state.finalDeadline!),
        run: async () => close((await acts.finalEvaluationAnswered({ roundKey })) ? 'completed' : 'notCompleted'),
      },
    ];
  }

  function surveyReminderSteps(): PlannedStep[] {
    return state.surveyReminders.map((r) => ({
      at: Date.parse(r.at),
      run: async () => {
        const { unanswered } = await acts.unansweredInRound({ roundKey: r.key });
        if (unanswered > 0) await notify({ kind: 'surveyReminder', step: `remind-${r.key}` });
        state.surveyReminders = state.surveyReminders.filter((x) => x.key !== r.key);
      },
    }));
  }

  /** Opens a survey round, tells the parent, and plans its one reminder. */
  async function openRound(
    doneKey: string,
    round: { sessionId?: string; kinds: SurveyKind[] },
    t: CaseTimings,
  ): Promise<void> {
    const roundKey = doneKey === 'final-opened' ? `${wfId}:final` : `${wfId}:${doneKey}`;
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
}

/** A new application can be admitted or queued; a queued one can later be admitted. */
function canDecide(state: ParentApplicationState, decision: DecideInput['decision']): boolean {
  if (state.status === 'submitted') return true;
  return state.status === 'queued' && decision === 'admit';
}
