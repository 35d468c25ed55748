// Statistics for central follow-up (R9.1, R9.2), computed from the records on every request
// (never stored by hand, never cached): group leaders, parents' participation, feedback and effect.
// Two tables the database keeps from the records by triggers make that fast over 100,000 cases:
// application_tally (applications counted per course, term, status and waiting day) and
// survey_response_scale (each response's scale answers as numbers). Nothing else writes them.
import type { Db } from '../db';
import { effect, type EffectStatistics } from './effect';
import { feedback, type FeedbackRow } from './feedback';
import type { StatisticsFilter } from './filters';
import { leaderStatistics, type LeaderStatistics } from './leaders';
import { firstApplicationTerm, participation, type ParticipationRow } from './participation';
import { loadDefinitions } from './scaleAnswers';
import { termOf, termsBetween, type TermIndex } from './terms';

export interface Statistics {
  leaders: LeaderStatistics;
  participation: ParticipationRow[];
  feedback: FeedbackRow[];
  effect: EffectStatistics;
}

export const STATISTICS_PARTS = ['leaders', 'participation', 'feedback', 'effect'] as const;
export type StatisticsPart = (typeof STATISTICS_PARTS)[number];

/** The figures' data; `parts` limits the work to some of them (the others come back empty). */
export async function loadStatistics(db: Db, f: StatisticsFilter, now = new Date(), parts: readonly StatisticsPart[] = STATISTICS_PARTS): Promise<Statistics> {
  const wants = (part: StatisticsPart) => parts.includes(part);
  const definitions = wants('feedback') || wants('effect') ? await loadDefinitions(db) : [];
  const [leaders, applied, answers, paired] = await Promise.all([
    wants('leaders') ? leaderStatistics(db, f, now) : { leaders: 0, active: 0, orientation: [] },
    wants('participation') ? participation(db, f, now) : [],
    wants('feedback') ? feedback(db, definitions, f) : [],
    wants('effect') ? effect(db, definitions, f) : { pairs: 0, shown: false, rows: [] },
  ]);
  return { leaders, participation: applied, feedback: answers, effect: paired };
}

/** The terms to filter by: from the first parent application's term to the current one, newest first. */
export async function termOptions(db: Db, now = new Date()): Promise<TermIndex[]> {
  const current = termOf(now);
  const first = (await firstApplicationTerm(db)) ?? current;
  return termsBetween(Math.min(first, current), current);
}

export { MIN_ANSWERS, FEEDBACK_MEASURES, type FeedbackMeasure } from './feedback';
export * from './filters';
export * from './terms';
