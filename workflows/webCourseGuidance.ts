// The guidance of one web-course parent (R4.2–R4.4, R5.2–R5.5): the pre-measurement and the
// questionnaire on the child's behaviour, then module by module — the guide signs a module off and
// the next one opens at once; a parent quiet for a while gets a reminder. Long-lived, so it
// continues as new whenever the history grows; the state carries everything.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { INSPECTOR_ATTRIBUTES_PATCH, WaitingForKey, WaitingSinceKey } from './searchAttributes';
import { acts, noticeActivities } from './activities';
import { handlerRuntime, historyIsLong } from './runtime';
import { assertAllowed } from './refusal';
import { canSignOffModule } from '../rules/guidanceCase';
import type { NoticeKind } from './parentApplication.messages';
import { guidanceFinishedSignal } from './parentApplication.messages';
import {
  guidanceStatusQuery,
  parentActiveSignal,
  signOffModuleUpdate,
  stopGuidanceSignal,
  type SignOffInput,
  type SignOffResult,
  type WebCourseGuidanceInput,
  type WebCourseGuidanceState,
} from './webCourseGuidance.messages';


/** Inactivity reminders remembered, to send one per quiet spell. */
const REMEMBERED_SPELLS = 5;

export async function webCourseGuidance(input: WebCourseGuidanceInput): Promise<WebCourseGuidanceState> {
  const wfId = workflowInfo().workflowId;
  const now = () => new Date().toISOString();
  const state: WebCourseGuidanceState = input.state ?? {
    caseNumber: input.caseNumber,
    currentModule: 0,
    moduleCount: 0,
    signedOff: [],
    lastActiveAt: now(),
    remindedFor: [],
    phase: 'starting',
    updatedAt: now(),
  };
  /** Modules signed off whose evaluation and progress surveys are still to open (R4.3). */
  const roundsToOpen: number[] = [];
  const notices: { kind: NoticeKind; step: string; moduleNumber?: number }[] = [];
  const runtime = handlerRuntime(state, { alwaysYield: true, historyLimit: input.historyLimit });
  const { touch } = runtime;
  /** The round key of a module's surveys: `${prefix}${moduleNumber}`. */
  const moduleRoundPrefix = `${wfId}:module-`;

  setHandler(guidanceStatusQuery, () => state);
  setHandler(parentActiveSignal, () => {
    state.lastActiveAt = now();
    touch();
  });
  setHandler(stopGuidanceSignal, () => {
    if (state.phase !== 'finished') state.phase = 'stopped';
    touch();
  });

  // The guide signs off the current module (R5.4) once the parent wrote their diary note for it
  // (the activity checks the records); the next module opens at once.
  setHandler(
    signOffModuleUpdate,
    ({ moduleNumber, guideId }: SignOffInput): Promise<SignOffResult> =>
      runtime.exclusively<SignOffResult>(
        async () => {
          const ready = await acts.signOffModule({
            applicationId: input.applicationId,
            moduleNumber,
            guideId,
            dedupeKey: `${wfId}:signoff-${moduleNumber}`,
            moduleRoundPrefix,
          });
          // Older histories' activity answered nothing: a sign-off that ran was taken.
          if (ready && !ready.ok) return ready;
          state.signedOff.push(moduleNumber);
          state.currentModule = moduleNumber + 1;
          roundsToOpen.push(moduleNumber);
          // Supervisors see since when the guide's next sign-off has been awaited (R9.4).
          if (patched(INSPECTOR_ATTRIBUTES_PATCH)) {
            upsertSearchAttributes([
              { key: WaitingForKey, value: moduleNumber >= state.moduleCount ? 'nothing' : 'moduleSignOff' },
              { key: WaitingSinceKey, value: new Date() },
            ]);
          }
          if (moduleNumber >= state.moduleCount) {
            state.phase = 'finished';
          } else {
            // The new module restarts the inactivity clock: the parent has new material to work on.
            state.lastActiveAt = now();
            notices.push({ kind: 'moduleOpened', step: `module-${state.currentModule}`, moduleNumber: state.currentModule });
          }
          return { ok: true, currentModule: state.currentModule, finished: state.phase === 'finished' };
        },
        () => {
          const verdict = canSignOffModule(state, moduleNumber);
          return verdict.ok ? null : verdict;
        },
      ),
    {
      validator: ({ moduleNumber, guideId }: SignOffInput) => {
        if (!Number.isInteger(moduleNumber) || moduleNumber < 1) throw new Error('Ogiltigt moment');
        if (typeof guideId !== 'string' || !guideId) throw new Error('Guide saknas');
        assertAllowed(canSignOffModule(state, moduleNumber));
      },
    },
  );

  if (state.phase === 'starting') {
    state.moduleCount = await acts.moduleCount({ courseId: input.courseId });
    await acts.openSurveyRound({
      applicationId: input.applicationId,
      courseId: input.courseId,
      kinds: ['preMeasurement', 'childBehaviour'],
      roundKey: `${wfId}:start`,
    });
    await notify({ kind: 'webCourseStart', step: 'start' });
    await acts.openModule({ applicationId: input.applicationId, moduleNumber: 1, moduleRoundPrefix });
    state.currentModule = 1;
    state.lastActiveAt = now();
    state.phase = state.moduleCount > 0 ? 'modules' : 'finished';
    touch();
  }

  const timings = await acts.loadCaseTimings();
  for (;;) {
    await catchUp();
    if (state.phase !== 'modules') break;
    if (historyIsLong(input.historyLimit)) {
      while (runtime.busy || !allHandlersFinished() || roundsToOpen.length || notices.length) {
        await condition(() => !runtime.busy && allHandlersFinished());
        await catchUp();
      }
      if (state.phase === 'modules') await continueAsNew<typeof webCourseGuidance>({ ...input, state });
      break;
    }
    const woken = runtime.changedSinceNow();
    const spell = state.lastActiveAt;
    if (state.remindedFor.includes(spell)) {
      await condition(woken);
      continue;
    }
    const left = Date.parse(spell) + timings.inactivityMs - Date.now();
    if (left > 0 && (await condition(woken, left))) continue;
    if (state.lastActiveAt !== spell || state.phase !== 'modules') continue;
    await notify({ kind: 'inactivityReminder', step: `inactive-${spell}` });
    state.remindedFor = [...state.remindedFor, spell].slice(-REMEMBERED_SPELLS);
  }
  await catchUp();
  if (state.phase === 'finished') {
    // The case goes on to the post-measurement and the course evaluation (R4.4, R5.5).
    await getExternalWorkflowHandle(input.parentWorkflowId).signal(guidanceFinishedSignal).catch(() => undefined);
  }
  return state;

  async function notify(notice: { kind: NoticeKind; step: string; moduleNumber?: number }): Promise<void> {
    await noticeActivities().sendCaseNotice({
      caseNumber: state.caseNumber,
      applicationId: input.applicationId,
      notice: notice.kind,
      details: notice.moduleNumber ? { moduleNumber: notice.moduleNumber } : undefined,
      idempotencyKey: `${wfId}:notice-${notice.step}`,
    });
  }

  /** Opens the surveys of signed-off modules and sends the notices that are due. */
  async function catchUp(): Promise<void> {
    for (;;) {
      if (roundsToOpen.length) {
        const moduleNumber = roundsToOpen[0];
        const { opened } = await acts.openSurveyRound({
          applicationId: input.applicationId,
          courseId: input.courseId,
          moduleNumber,
          kinds: ['sessionEvaluation', 'progress'],
          roundKey: `${moduleRoundPrefix}${moduleNumber}`,
        });
        if (opened > 0) await notify({ kind: 'surveysOpen', step: `surveys-module-${moduleNumber}` });
        roundsToOpen.shift();
      } else if (notices.length) {
        await notify(notices[0]);
        notices.shift();
      } else return;
    }
  }
}
