// The planner of a parent's course (pure: no server): what the case does next and what it waits for.
import { describe, expect, it } from 'vitest';
import { COURSE_PLANNED, FINAL_OPENED, planCourse, reminderKey, surveysKey, type CoursePlanInput } from './coursePlanner';

const HOUR = 3_600_000;
const now = Date.parse('2026-12-07T12:00:00Z');
const session = (id: string, startOffsetH: number) => ({
  id,
  startsAt: new Date(now + startOffsetH * HOUR).toISOString(),
  endsAt: new Date(now + (startOffsetH + 2) * HOUR).toISOString(),
});
const plan = (over: Partial<CoursePlanInput>) =>
  planCourse({
    kind: 'groupCourse',
    sessions: [],
    reminderLeadMs: 24 * HOUR,
    done: [],
    guidanceFinished: false,
    finalAnswered: false,
    finalDeadline: null,
    surveyReminders: [],
    now,
    ...over,
  });

describe('the course planner', () => {
  it('reminds a day before each coming session and opens its surveys when it ends', () => {
    const s1 = session('s1', 48);
    const p = plan({ sessions: [s1] });
    expect(p.waitingFor).toBe('nextSession');
    expect(p.next).toEqual({ kind: 'sessionReminder', at: now + 24 * HOUR, key: reminderKey(s1), sessionId: 's1' });
    const after = plan({ sessions: [s1], done: [COURSE_PLANNED, reminderKey(s1)] });
    expect(after.next).toEqual({ kind: 'sessionSurveys', at: now + 50 * HOUR, key: surveysKey(s1), sessionId: 's1' });
  });

  it('skips the surveys of sessions over before admission, once', () => {
    const past = session('past', -5);
    const coming = session('coming', 30);
    const p = plan({ sessions: [past, coming] });
    expect(p.skipped).toEqual([surveysKey(past), COURSE_PLANNED]);
    expect(p.next?.kind).toBe('sessionReminder');
    expect(plan({ sessions: [past, coming], done: p.skipped }).skipped).toEqual([]);
  });

  it('a reminder already due for a session that has not started goes now; a started session gets none', () => {
    const soon = session('soon', 2);
    expect(plan({ sessions: [soon], done: [COURSE_PLANNED] }).next).toMatchObject({ kind: 'sessionReminder', at: now - 22 * HOUR });
    const started = { id: 'started', startsAt: new Date(now - HOUR).toISOString(), endsAt: new Date(now + HOUR).toISOString() };
    expect(plan({ sessions: [started], done: [COURSE_PLANNED] }).next).toMatchObject({ kind: 'sessionSurveys', sessionId: 'started' });
  });

  it('after the last session: the final evaluation opens, then the case closes as answered or at the deadline', () => {
    const s1 = session('s1', -10);
    const done = [COURSE_PLANNED, surveysKey(s1)];
    expect(plan({ sessions: [s1], done })).toMatchObject({ waitingFor: 'finalEvaluation', next: { kind: 'openFinalEvaluation', at: now } });
    const deadline = new Date(now + 21 * 24 * HOUR).toISOString();
    expect(plan({ sessions: [s1], done: [...done, FINAL_OPENED], finalDeadline: deadline }).next).toEqual({ kind: 'closeAtDeadline', at: Date.parse(deadline) });
    expect(plan({ sessions: [s1], done: [...done, FINAL_OPENED], finalDeadline: deadline, finalAnswered: true }).next).toEqual({ kind: 'closeCompleted', at: now });
  });

  it('the web course waits for its guidance, then goes to the final evaluation', () => {
    expect(plan({ kind: 'webCourse', sessions: null })).toEqual({ next: null, waitingFor: 'guidance', skipped: [] });
    expect(plan({ kind: 'webCourse', sessions: null, guidanceFinished: true })).toMatchObject({ waitingFor: 'finalEvaluation', next: { kind: 'openFinalEvaluation' } });
  });

  it('a survey round’s reminder comes first when it is the earliest, and equal times keep plan order', () => {
    const s1 = session('s1', 48);
    const reminder = { key: 'round-1', at: new Date(now + HOUR).toISOString() };
    expect(plan({ sessions: [s1], done: [COURSE_PLANNED], surveyReminders: [reminder] }).next).toEqual({ kind: 'surveyReminder', at: now + HOUR, key: 'round-1' });
    const tie = { key: 'round-2', at: new Date(now + 24 * HOUR).toISOString() };
    expect(plan({ sessions: [s1], done: [COURSE_PLANNED], surveyReminders: [tie] }).next?.kind).toBe('sessionReminder');
  });
});
