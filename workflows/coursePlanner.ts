// What a parent's case does next once admitted (R2.6–R2.8, R4.3–R4.5): a reminder before each
// session, the evaluation and progress surveys when it ends, one reminder for an unanswered round,
// then the final evaluation and the close. Pure: it reads the case's state and the schedule and
// returns the next step and what the case waits for; parentApplication.ts carries the step out.

export const SESSION_SURVEYS = ['sessionEvaluation', 'progress'] as const;

export type CourseStep =
  /** Remind the parent before a session (R2.6). */
  | { kind: 'sessionReminder'; at: number; key: string; sessionId: string }
  /** The session ended: open its evaluation and progress surveys (R2.7). */
  | { kind: 'sessionSurveys'; at: number; key: string; sessionId: string }
  /** The course is over: open the final evaluation (R2.8, R4.4). */
  | { kind: 'openFinalEvaluation'; at: number }
  /** The final evaluation was answered: close as completed. */
  | { kind: 'closeCompleted'; at: number }
  /** The final evaluation's window ends: close as completed if answered, else not completed. */
  | { kind: 'closeAtDeadline'; at: number }
  /** An unanswered survey round gets its one reminder. */
  | { kind: 'surveyReminder'; at: number; key: string };

export interface CoursePlanInput {
  kind: 'groupCourse' | 'webCourse';
  /** The group course's sessions (ISO times); null for the web course. */
  sessions: readonly { id: string; startsAt: string; endsAt: string }[] | null;
  reminderLeadMs: number;
  /** Steps already taken (state.done). */
  done: readonly string[];
  guidanceFinished: boolean;
  finalAnswered: boolean;
  finalDeadline: string | null;
  surveyReminders: readonly { key: string; at: string }[];
  now: number;
}

export interface CoursePlan {
  /** The earliest step (the first of equals, in plan order), or null: wait for a message. */
  next: CourseStep | null;
  waitingFor: 'guidance' | 'nextSession' | 'finalEvaluation';
  /** Steps to record as taken without doing them (sessions over before admission). */
  skipped: string[];
}

export const FINAL_OPENED = 'final-opened';
export const COURSE_PLANNED = 'course-planned';
export const reminderKey = (s: { id: string; startsAt: string }) => `reminder:${s.id}:${s.startsAt}`;
export const surveysKey = (s: { id: string }) => `surveys:${s.id}`;

export function planCourse(p: CoursePlanInput): CoursePlan {
  const done = new Set(p.done);
  const skipped: string[] = [];
  let steps: CourseStep[];
  let waitingFor: CoursePlan['waitingFor'];
  if (p.kind === 'webCourse') {
    steps = p.guidanceFinished ? finalSteps(p, done) : [];
    waitingFor = p.guidanceFinished ? 'finalEvaluation' : 'guidance';
  } else {
    const sessions = sessionSteps(p, done, skipped);
    steps = sessions.length ? sessions : finalSteps(p, done);
    waitingFor = sessions.length ? 'nextSession' : 'finalEvaluation';
  }
  for (const r of p.surveyReminders) steps.push({ kind: 'surveyReminder', at: Date.parse(r.at), key: r.key });
  return { next: earliest(steps), waitingFor, skipped };
}

/** Reminders before sessions and survey rounds after them; sessions over before admission are skipped. */
function sessionSteps(p: CoursePlanInput, done: Set<string>, skipped: string[]): CourseStep[] {
  const sessions = p.sessions ?? [];
  if (!done.has(COURSE_PLANNED)) {
    for (const s of sessions) if (Date.parse(s.endsAt) <= p.now) skip(surveysKey(s));
    skip(COURSE_PLANNED);
  }
  const steps: CourseStep[] = [];
  for (const s of sessions) {
    const reminder = reminderKey(s);
    if (!done.has(reminder) && Date.parse(s.startsAt) > p.now) {
      steps.push({ kind: 'sessionReminder', at: Date.parse(s.startsAt) - p.reminderLeadMs, key: reminder, sessionId: s.id });
    }
    const surveys = surveysKey(s);
    if (!done.has(surveys)) steps.push({ kind: 'sessionSurveys', at: Date.parse(s.endsAt), key: surveys, sessionId: s.id });
  }
  return steps;

  function skip(key: string) {
    if (done.has(key)) return;
    done.add(key);
    skipped.push(key);
  }
}

/** The final evaluation opens; answered closes the case as completed, silence as not completed (R2.8). */
function finalSteps(p: CoursePlanInput, done: Set<string>): CourseStep[] {
  if (!done.has(FINAL_OPENED)) return [{ kind: 'openFinalEvaluation', at: p.now }];
  if (p.finalAnswered) return [{ kind: 'closeCompleted', at: p.now }];
  return [{ kind: 'closeAtDeadline', at: Date.parse(p.finalDeadline!) }];
}

function earliest(steps: CourseStep[]): CourseStep | null {
  return steps.reduce<CourseStep | null>((a, b) => (!a || b.at < a.at ? b : a), null);
}
