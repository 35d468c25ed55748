// The leader's and the guide's compiled evaluations (R3.5, R5.6): per session or module and survey,
// averages, distributions, choice counts and free texts; programme fidelity over time; the pre/post
// effect over paired answers. Small groups show counts only: with fewer than MIN_GROUP answers a
// distribution or a quote points at a person.
import type { Db } from '../db';
import { parseQuestions, SCALE_MAX, SCALE_MIN, type Answers, type ChoiceQuestion, type Question } from './definitions';
import type { SurveyKind } from './invitations';

export const MIN_GROUP = 3;

export type QuestionSummary =
  | { question: Question; type: 'scale'; answered: number; mean: number | null; distribution: number[] }
  | { question: ChoiceQuestion; type: 'single' | 'multiple'; answered: number; counts: { option: ChoiceQuestion['options'][number]; count: number }[] }
  | { question: Question; type: 'text'; texts: string[] };

export interface SurveySummary {
  surveyId: string;
  kind: SurveyKind;
  version: number;
  responses: number;
  invitations: number;
  /** responses / invitations, null when no one was invited. */
  rate: number | null;
  /** False below MIN_GROUP: only the counts are shown. */
  shown: boolean;
  questions: QuestionSummary[];
}

export type OccasionLabel =
  | { type: 'session'; number: number; startsAt: Date }
  | { type: 'module'; number: number; title: string | null }
  | { type: 'course' };

export interface Occasion {
  key: string;
  label: OccasionLabel;
  surveys: SurveySummary[];
}

export interface FidelityPoint {
  label: Exclude<OccasionLabel, { type: 'course' }>;
  responses: number;
  /** Mean of every session-evaluation scale answer; null below MIN_GROUP or without answers. */
  mean: number | null;
}

export interface EffectRow {
  question: Question;
  pairs: number;
  preMean: number;
  postMean: number;
  /** Mean of (post − pre) over the pairs that answered the question both times. */
  change: number;
}

export interface Effect {
  pairs: number;
  shown: boolean;
  rows: EffectRow[];
}

export interface CourseResults {
  occasions: Occasion[];
  fidelity: FidelityPoint[];
  effect: Effect | null;
}

interface Definition {
  id: string;
  kind: SurveyKind;
  version: number;
  questions: Question[];
}

interface ResponseRow {
  surveyId: string;
  sessionId: string | null;
  moduleNumber: number | null;
  answers: Answers;
  pairingCode: string | null;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const occasionKey = (sessionId: string | null, moduleNumber: number | null) =>
  sessionId ? `s:${sessionId}` : moduleNumber !== null ? `m:${moduleNumber}` : 'course';

export async function courseResults(db: Db, courseId: string): Promise<CourseResults> {
  const [course, invitationCounts, rows] = await Promise.all([
    db.course.findUniqueOrThrow({
      where: { id: courseId },
      select: {
        kind: true,
        sessions: { select: { id: true, startsAt: true }, orderBy: { startsAt: 'asc' } },
        modules: { select: { number: true, title: true }, orderBy: { number: 'asc' } },
      },
    }),
    db.surveyInvitation.groupBy({ by: ['surveyId', 'sessionId', 'moduleNumber'], where: { courseId }, _count: { _all: true } }),
    db.surveyResponse.findMany({
      where: { courseId },
      select: { surveyId: true, sessionId: true, moduleNumber: true, answers: true, pairingCode: true },
    }),
  ]);
  const responses = rows.map((r) => ({ ...r, answers: r.answers as Answers }));
  const surveyIds = [...new Set([...invitationCounts.map((i) => i.surveyId), ...responses.map((r) => r.surveyId)])];
  const definitions = new Map(
    (await db.surveyDefinition.findMany({ where: { id: { in: surveyIds } } })).map((d) => [
      d.id,
      { id: d.id, kind: d.kind, version: d.version, questions: parseQuestions(d.questions) } satisfies Definition,
    ]),
  );

  // Sessions and modules in course order, then the surveys of the whole course.
  const labels = new Map<string, OccasionLabel>();
  course.sessions.forEach((s, i) => labels.set(occasionKey(s.id, null), { type: 'session', number: i + 1, startsAt: s.startsAt }));
  const moduleTitles = new Map(course.modules.map((m) => [m.number, m.title]));
  const moduleNumbers = new Set([
    ...course.modules.map((m) => m.number),
    ...invitationCounts.map((i) => i.moduleNumber),
    ...responses.map((r) => r.moduleNumber),
  ]);
  for (const n of [...moduleNumbers].filter((n): n is number => n !== null).sort((a, b) => a - b)) {
    labels.set(occasionKey(null, n), { type: 'module', number: n, title: moduleTitles.get(n) ?? null });
  }
  labels.set('course', { type: 'course' });

  const invited = new Map<string, number>();
  for (const i of invitationCounts) {
    const key = `${occasionKey(i.sessionId, i.moduleNumber)}|${i.surveyId}`;
    invited.set(key, (invited.get(key) ?? 0) + i._count._all);
  }
  const answered = new Map<string, ResponseRow[]>();
  for (const r of responses) {
    const key = `${occasionKey(r.sessionId, r.moduleNumber)}|${r.surveyId}`;
    answered.set(key, [...(answered.get(key) ?? []), r]);
  }

  const occasions: Occasion[] = [];
  const fidelity: FidelityPoint[] = [];
  for (const [key, label] of labels) {
    const surveys = [...definitions.values()]
      .filter((d) => invited.has(`${key}|${d.id}`) || answered.has(`${key}|${d.id}`))
      .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.version - b.version)
      .map((d) => summarize(d, answered.get(`${key}|${d.id}`) ?? [], invited.get(`${key}|${d.id}`) ?? 0));
    if (surveys.length) occasions.push({ key, label, surveys });
    const evaluations = surveys.filter((s) => s.kind === 'sessionEvaluation');
    if (label.type !== 'course' && evaluations.length) fidelity.push(fidelityPoint(label, evaluations, answered, key));
  }

  const effect = pairedEffect([...definitions.values()], responses);
  return { occasions, fidelity, effect: course.kind === 'webCourse' || effect.pairs > 0 ? effect : null };
}

const KIND_ORDER: SurveyKind[] = ['sessionEvaluation', 'progress', 'preMeasurement', 'childBehaviour', 'postMeasurement', 'courseEvaluation'];

function summarize(definition: Definition, rows: ResponseRow[], invitations: number): SurveySummary {
  const shown = rows.length >= MIN_GROUP;
  return {
    surveyId: definition.id,
    kind: definition.kind,
    version: definition.version,
    responses: rows.length,
    invitations,
    rate: invitations ? rows.length / invitations : null,
    shown,
    questions: shown ? definition.questions.map((q) => summarizeQuestion(q, rows.map((r) => r.answers))) : [],
  };
}

function summarizeQuestion(q: Question, answers: Answers[]): QuestionSummary {
  const given = answers.map((a) => a[q.id]).filter((v) => v !== undefined);
  switch (q.type) {
    case 'scale': {
      const values = given.filter((v): v is number => typeof v === 'number');
      const distribution = Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_, i) => values.filter((v) => v === SCALE_MIN + i).length);
      return { question: q, type: 'scale', answered: values.length, mean: mean(values), distribution };
    }
    case 'single':
    case 'multiple': {
      const chosen = given.flatMap((v) => (Array.isArray(v) ? v : [v]));
      return {
        question: q,
        type: q.type,
        answered: given.length,
        counts: q.options.map((option) => ({ option, count: chosen.filter((v) => v === option.value).length })),
      };
    }
    case 'text':
      // Alphabetical: the order of answering would tell who wrote what.
      return { question: q, type: 'text', texts: given.filter((v): v is string => typeof v === 'string').sort((a, b) => a.localeCompare(b, 'sv')) };
  }
}

function fidelityPoint(
  label: Exclude<OccasionLabel, { type: 'course' }>,
  evaluations: SurveySummary[],
  answered: Map<string, ResponseRow[]>,
  key: string,
): FidelityPoint {
  const responses = evaluations.reduce((n, s) => n + s.responses, 0);
  if (responses < MIN_GROUP) return { label, responses, mean: null };
  const scaleValues = evaluations.flatMap((s) => {
    const scaleIds = s.questions.filter((q) => q.type === 'scale').map((q) => q.question.id);
    return (answered.get(`${key}|${s.surveyId}`) ?? []).flatMap((r) =>
      scaleIds.map((id) => r.answers[id]).filter((v): v is number => typeof v === 'number'),
    );
  });
  return { label, responses, mean: mean(scaleValues) };
}

/** Pairs pre- and post-measurements by the parent's code; a code seen twice on one side is ambiguous and left out. */
function pairedEffect(definitions: Definition[], responses: ResponseRow[]): Effect {
  const kindOf = new Map(definitions.map((d) => [d.id, d]));
  const byCode = (kind: SurveyKind) => {
    const seen = new Map<string, ResponseRow | null>();
    for (const r of responses) {
      if (!r.pairingCode || kindOf.get(r.surveyId)?.kind !== kind) continue;
      seen.set(r.pairingCode, seen.has(r.pairingCode) ? null : r);
    }
    return seen;
  };
  const pre = byCode('preMeasurement');
  const post = byCode('postMeasurement');
  const pairs = [...post].flatMap(([code, p]) => (p && pre.get(code) ? [{ pre: pre.get(code)!, post: p }] : []));
  const shown = pairs.length >= MIN_GROUP;
  if (!shown) return { pairs: pairs.length, shown, rows: [] };

  const scaleQuestions = (kind: SurveyKind) =>
    definitions.filter((d) => d.kind === kind).flatMap((d) => d.questions.filter((q) => q.type === 'scale'));
  const preIds = new Set(scaleQuestions('preMeasurement').map((q) => q.id));
  const questions = new Map(scaleQuestions('postMeasurement').filter((q) => preIds.has(q.id)).map((q) => [q.id, q]));
  const rows: EffectRow[] = [];
  for (const q of questions.values()) {
    const both = pairs.filter((p) => typeof p.pre.answers[q.id] === 'number' && typeof p.post.answers[q.id] === 'number');
    if (!both.length) continue;
    const preValues = both.map((p) => p.pre.answers[q.id] as number);
    const postValues = both.map((p) => p.post.answers[q.id] as number);
    rows.push({
      question: q,
      pairs: both.length,
      preMean: mean(preValues)!,
      postMean: mean(postValues)!,
      change: mean(both.map((_, i) => postValues[i] - preValues[i]))!,
    });
  }
  return { pairs: pairs.length, shown, rows };
}
