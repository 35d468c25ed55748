import { describe, expect, it } from 'vitest';
import { canSignOffModule, moduleReadyForSignOff } from './guidanceCase';

describe('guidance rules', () => {
  it('signs off only the current module of a running guidance', () => {
    expect(canSignOffModule({ phase: 'modules', currentModule: 2 }, 2).ok).toBe(true);
    expect(canSignOffModule({ phase: 'modules', currentModule: 2 }, 3)).toEqual({ ok: false, code: 'not-current-module' });
    expect(canSignOffModule({ phase: 'starting', currentModule: 0 }, 1)).toEqual({ ok: false, code: 'not-current-module' });
    expect(canSignOffModule({ phase: 'finished', currentModule: 7 }, 6)).toEqual({ ok: false, code: 'finished' });
  });

  it('needs the parent diary note, and the surveys where the admin asks for them', () => {
    expect(moduleReadyForSignOff({ parentDiaryNote: false, surveysRequired: false, unansweredSurveys: 0 })).toEqual({ ok: false, code: 'no-diary' });
    expect(moduleReadyForSignOff({ parentDiaryNote: true, surveysRequired: true, unansweredSurveys: 1 })).toEqual({ ok: false, code: 'surveys-unanswered' });
    expect(moduleReadyForSignOff({ parentDiaryNote: true, surveysRequired: false, unansweredSurveys: 1 }).ok).toBe(true);
  });
});
