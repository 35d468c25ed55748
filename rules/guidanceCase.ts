// The rules of a web-course parent's guidance (R4.3, R5.3, R5.4): module by module, the guide signs
// a module off when the parent has written their diary note for it (and, where the admin asks for
// it, answered the module's surveys); the next module then opens.
import { ALLOWED, refuse, type Verdict } from './refusals';

export const GUIDANCE_PHASES = ['starting', 'modules', 'finished', 'stopped'] as const;
export type GuidancePhase = (typeof GUIDANCE_PHASES)[number];

/** What the workflow knows: checked by the update's validator, before anything is recorded. */
export function canSignOffModule(
  state: { phase: GuidancePhase; currentModule: number },
  moduleNumber: number,
): Verdict<'finished' | 'not-current-module'> {
  if (state.phase === 'finished' || state.phase === 'stopped') return refuse('finished');
  if (state.phase !== 'modules' || moduleNumber !== state.currentModule) return refuse('not-current-module');
  return ALLOWED;
}

/** What the records say: checked inside the sign-off's transaction. */
export function moduleReadyForSignOff(facts: {
  /** The parent (not the guide) wrote a diary note for this module. */
  parentDiaryNote: boolean;
  /** The admin's setting: the module's surveys must be answered first. */
  surveysRequired: boolean;
  /** Unanswered survey invitations of this module for this case. */
  unansweredSurveys: number;
}): Verdict<'no-diary' | 'surveys-unanswered'> {
  if (!facts.parentDiaryNote) return refuse('no-diary');
  if (facts.surveysRequired && facts.unansweredSurveys > 0) return refuse('surveys-unanswered');
  return ALLOWED;
}
