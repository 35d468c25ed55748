// The chat followed against its own goals (issue 17, seed 000): how many conversations start, when,
// how long visitors wait, how many leave the queue unanswered or meet the closed notice, what the
// counsellors record as topic, age and result, and the early advice and support efforts against
// the admin's baseline. Read from the counted tables only (chat_tally, chat_outcome: kept by the
// chat as conversations move, no column links to a visitor), a few SQL aggregates per request.
import type { Db } from '../db';
import { DbTypes } from '../db';
import type { ChatSettings } from '../chat/chatSettings';
import { addDays } from '../time';
import { loadChatBaseline, type ChatBaseline } from './chatBaseline';
import { daysBetween, yearBefore, type ChatStatisticsFilter } from './chatFilters';
import { openTime, type OpenTime } from './chatOpening';
import { MIN_ANSWERS } from './feedback';
import { medianOfBins, type Bin } from './participation';
import { reportQuery, type Sql } from './sql';

const sql = DbTypes.Prisma.sql;

export interface ChatCounts {
  /** Conversations started: answered and abandoned. */
  started: number;
  answered: number;
  /** Left the queue before anyone answered. */
  abandoned: number;
  /** Came while the chat was closed and met the closed notice. */
  closedNotice: number;
}

export interface ChatWaitRow {
  /** The month (YYYY-MM); null for the whole filter. */
  key: string | null;
  /** Answered conversations; null when hidden. */
  answered: number | null;
  /** Seconds in the queue until answered: median and 90th percentile; null when hidden or none. */
  median: number | null;
  p90: number | null;
  hidden: boolean;
}

export interface ChatOutcomeRow {
  /** The choice's id; null for "age not said". */
  id: string | null;
  label: string;
  position: number;
  earlySupport: boolean;
  retired: boolean;
  /** Conversations with this answer; null when hidden (1 to MIN_ANSWERS − 1). */
  n: number | null;
  hidden: boolean;
}

export interface ChatGoals {
  /** Conversations started under the filter, and in the same days (weekday, hours) a year before. */
  started: number;
  yearBefore: { from: string; to: string; started: number | null };
  /** The first day the chat counted anything; null before the first conversation. */
  firstDay: string | null;
  /** Early advice and support efforts per month of the whole period (every weekday and hour). */
  trend: { month: string; earlySupport: number }[];
  earlySupport: number;
  /** Days in the period, for the baseline's share of a year. */
  days: number;
  baseline: ChatBaseline;
}

export interface ChatStatistics {
  filter: ChatStatisticsFilter;
  total: ChatCounts;
  months: { key: string; counts: ChatCounts }[];
  weeks: { key: string; counts: ChatCounts }[];
  /** Monday 0 … Sunday 6; only the filter's weekday when one is chosen. */
  weekdays: { weekday: number; counts: ChatCounts }[];
  /** The filter's hours. */
  hours: { hour: number; counts: ChatCounts }[];
  waiting: ChatWaitRow[];
  /** Outcomes recorded under the filter. */
  recorded: number;
  outcomes: { topic: ChatOutcomeRow[]; ageBand: ChatOutcomeRow[]; result: ChatOutcomeRow[] };
  open: OpenTime;
  goals: ChatGoals;
}

/** The value at or below which `p` of the values lie: the one at place ⌈p·n⌉ in order (nearest rank). */
export function percentileOfBins(bins: Bin[], p: number): number | null {
  const sorted = bins.filter((b) => b.count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((s, b) => s + b.count, 0);
  if (!n) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const b of sorted) {
    seen += b.count;
    if (seen >= rank) return b.value;
  }
  return sorted[sorted.length - 1].value;
}

/** ISO week of a calendar day as PostgreSQL's to_char(day, 'IYYY-"W"IW') writes it: 2026-W01. */
export function isoWeekKey(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1, 12)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Every month and ISO week the period touches, in order. */
export function periodKeys(from: string, to: string): { months: string[]; weeks: string[] } {
  const months = new Set<string>();
  const weeks = new Set<string>();
  for (let date = from; date <= to; date = addDays(date, 1)) {
    months.add(date.slice(0, 7));
    weeks.add(isoWeekKey(date));
  }
  return { months: [...months], weeks: [...weeks] };
}

const WEEKDAY_SQL = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `AND …` on a counted row's Stockholm day and hour: the period, the weekday, the hours. */
function conditions(f: Pick<ChatStatisticsFilter, 'from' | 'to' | 'weekday' | 'hourFrom' | 'hourTo'>, day: Sql, hour: Sql): Sql {
  const parts = [sql`AND ${day} >= ${f.from}::date AND ${day} <= ${f.to}::date`];
  if (f.weekday) parts.push(sql`AND extract(isodow FROM ${day}) = ${WEEKDAY_SQL.indexOf(f.weekday) + 1}::int`);
  if (f.hourFrom > 0) parts.push(sql`AND ${hour} >= ${f.hourFrom}::int`);
  if (f.hourTo < 24) parts.push(sql`AND ${hour} < ${f.hourTo}::int`);
  return DbTypes.Prisma.join(parts, ' ');
}

const emptyCounts = (): ChatCounts => ({ started: 0, answered: 0, abandoned: 0, closedNotice: 0 });

function add(counts: ChatCounts, kind: string, n: number) {
  if (kind === 'answered' || kind === 'abandoned') {
    counts[kind] += n;
    counts.started += n;
  } else if (kind === 'closedNotice') counts.closedNotice += n;
}

type CountRow = { month: string | null; week: string | null; weekday: number | null; hour: number | null; kind: string; n: number };

/** The counts per month, ISO week, weekday and hour, in one pass over the counted rows. */
async function counts(db: Db, f: ChatStatisticsFilter) {
  const rows = await reportQuery<CountRow>(
    db,
    sql`
    SELECT s.month, s.week, s.weekday, s.hour, s.kind::text AS kind, sum(s.n)::int AS n
    FROM (
      SELECT to_char(t.day, 'YYYY-MM') AS month, to_char(t.day, 'IYYY-"W"IW') AS week,
        extract(isodow FROM t.day)::int - 1 AS weekday, t.hour::int AS hour, t.kind, t.n
      FROM chat_tally t
      WHERE true ${conditions(f, sql`t.day`, sql`t.hour`)}
    ) AS s
    GROUP BY GROUPING SETS ((s.month, s.kind), (s.week, s.kind), (s.weekday, s.kind), (s.hour, s.kind))`,
  );
  const keys = periodKeys(f.from, f.to);
  const months = new Map(keys.months.map((k) => [k, emptyCounts()]));
  const weeks = new Map(keys.weeks.map((k) => [k, emptyCounts()]));
  const weekdays = new Map<number, ChatCounts>();
  for (let d = 0; d < 7; d++) if (!f.weekday || WEEKDAY_SQL[d] === f.weekday) weekdays.set(d, emptyCounts());
  const hours = new Map<number, ChatCounts>();
  for (let h = f.hourFrom; h < f.hourTo; h++) hours.set(h, emptyCounts());
  const total = emptyCounts();
  for (const r of rows) {
    if (r.month !== null) {
      add(months.get(r.month)!, r.kind, r.n);
      add(total, r.kind, r.n);
    } else if (r.week !== null) add(weeks.get(r.week)!, r.kind, r.n);
    else if (r.weekday !== null) add(weekdays.get(r.weekday)!, r.kind, r.n);
    else if (r.hour !== null) add(hours.get(r.hour)!, r.kind, r.n);
  }
  return {
    total,
    months: [...months].map(([key, c]) => ({ key, counts: c })),
    weeks: [...weeks].map(([key, c]) => ({ key, counts: c })),
    weekdays: [...weekdays].map(([weekday, c]) => ({ weekday, counts: c })),
    hours: [...hours].map(([hour, c]) => ({ hour, counts: c })),
  };
}

/**
 * The answered conversations' waits per month and over the filter: counted rows (wait rounded up
 * to 10 s, how many waited so long) added up per wait; median and 90th percentile read off them.
 * Fewer than MIN_ANSWERS waits hide the row: so few describe single conversations.
 */
async function waiting(db: Db, f: ChatStatisticsFilter, months: string[]): Promise<ChatWaitRow[]> {
  const rows = await reportQuery<{ month: string; waits: number[]; counts: number[] }>(
    db,
    sql`
    SELECT g.month, array_agg(g.wait ORDER BY g.wait) AS waits, array_agg(g.n ORDER BY g.wait) AS counts
    FROM (
      SELECT to_char(t.day, 'YYYY-MM') AS month, t.wait_seconds AS wait, sum(t.n)::int AS n
      FROM chat_tally t
      WHERE t.kind = 'answered' ${conditions(f, sql`t.day`, sql`t.hour`)}
      GROUP BY 1, 2
    ) AS g
    GROUP BY g.month`,
  );
  const bins = new Map<string, Bin[]>(months.map((m) => [m, []]));
  for (const r of rows) bins.set(r.month, r.waits.map((value, i) => ({ value, count: r.counts[i] })));
  const row = (key: string | null, b: Bin[]): ChatWaitRow => {
    const answered = b.reduce((s, x) => s + x.count, 0);
    const hidden = answered > 0 && answered < MIN_ANSWERS;
    if (hidden) return { key, answered: null, median: null, p90: null, hidden };
    return { key, answered, median: medianOfBins(b), p90: percentileOfBins(b, 0.9), hidden };
  };
  return [...[...bins].map(([m, b]) => row(m, b)), row(null, [...bins.values()].flat())];
}

/**
 * One hidden row beside a shown total is the total less the other rows: then the smallest shown
 * row (not 0) is hidden too, so no small group can be worked out by subtraction.
 */
export function withSecondHidden(rows: ChatOutcomeRow[]): ChatOutcomeRow[] {
  if (rows.filter((r) => r.hidden).length !== 1) return rows;
  const shown = rows.filter((r) => !r.hidden && r.n);
  if (!shown.length) return rows;
  const smallest = shown.reduce((a, b) => (b.n! < a.n! ? b : a));
  return rows.map((r) => (r === smallest ? { ...r, n: null, hidden: true } : r));
}

type OutcomeSum = { g: number; topic: string | null; age: string | null; result: string | null; n: number };

/**
 * Outcomes per topic, age band and result. Every current choice is a row (0 when unused); a
 * retired one only when it was used. "Age not said" is its own row. 1–4 hides a row (and, when it
 * is the only one hidden, the next smallest: withSecondHidden).
 */
async function outcomes(db: Db, f: ChatStatisticsFilter) {
  const [sums, choices] = await Promise.all([
    reportQuery<OutcomeSum>(
      db,
      sql`
      SELECT grouping(o.topic_id, o.age_band_id, o.result_id)::int AS g,
        o.topic_id::text AS topic, o.age_band_id::text AS age, o.result_id::text AS result, sum(o.n)::int AS n
      FROM chat_outcome o
      WHERE true ${conditions(f, sql`o.day`, sql`o.hour`)}
      GROUP BY GROUPING SETS ((o.topic_id), (o.age_band_id), (o.result_id))`,
    ),
    db.chatOutcomeChoice.findMany({ orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] }),
  ]);
  // grouping() sets a bit per column left out: only topic → 0b011, only age band → 0b101, only result → 0b110.
  const byField = { topic: new Map<string | null, number>(), ageBand: new Map<string | null, number>(), result: new Map<string | null, number>() };
  for (const s of sums) {
    if (s.g === 0b011) byField.topic.set(s.topic, s.n);
    else if (s.g === 0b101) byField.ageBand.set(s.age, s.n);
    else if (s.g === 0b110) byField.result.set(s.result, s.n);
  }
  const cell = (n: number) => {
    const hidden = n > 0 && n < MIN_ANSWERS;
    return { n: hidden ? null : n, hidden };
  };
  const rowsOf = (field: keyof typeof byField): ChatOutcomeRow[] => {
    const used = byField[field];
    const rows: ChatOutcomeRow[] = choices
      .filter((c) => c.field === field && (!c.retiredAt || used.has(c.id)))
      .map((c) => ({ id: c.id, label: c.label, position: c.position, earlySupport: c.earlySupport, retired: !!c.retiredAt, ...cell(used.get(c.id) ?? 0) }));
    if (field === 'ageBand' && used.has(null)) rows.push({ id: null, label: '', position: Number.MAX_SAFE_INTEGER, earlySupport: false, retired: false, ...cell(used.get(null)!) });
    return withSecondHidden(rows);
  };
  const recorded = [...byField.result.values()].reduce((s, n) => s + n, 0);
  return { recorded, outcomes: { topic: rowsOf('topic'), ageBand: rowsOf('ageBand'), result: rowsOf('result') } };
}

/**
 * The goals: conversations against the same days a year before (under the same weekday and
 * hours), and the early advice and support efforts per month of the whole period, every weekday
 * and hour, as the admin's baseline is a whole year's count.
 */
async function goals(db: Db, f: ChatStatisticsFilter, months: string[], days: number): Promise<ChatGoals> {
  const before = { from: yearBefore(f.from), to: yearBefore(f.to) };
  const [[row], trend, baseline] = await Promise.all([
    reportQuery<{ started: number; before: number; first_day: string | null }>(
      db,
      sql`
      SELECT
        coalesce(sum(t.n) FILTER (WHERE true ${conditions(f, sql`t.day`, sql`t.hour`)}), 0)::int AS started,
        coalesce(sum(t.n) FILTER (WHERE true ${conditions({ ...f, ...before }, sql`t.day`, sql`t.hour`)}), 0)::int AS before,
        (SELECT min(day) FROM chat_tally)::text AS first_day
      FROM chat_tally t
      WHERE t.kind IN ('answered', 'abandoned') AND t.day >= ${before.from}::date AND t.day <= ${f.to}::date`,
    ),
    reportQuery<{ month: string; n: number }>(
      db,
      sql`
      SELECT to_char(o.day, 'YYYY-MM') AS month, sum(o.n)::int AS n
      FROM chat_outcome o JOIN chat_outcome_choice r ON r.id = o.result_id
      WHERE r.early_support AND o.day >= ${f.from}::date AND o.day <= ${f.to}::date
      GROUP BY 1`,
    ),
    loadChatBaseline(db),
  ]);
  const perMonth = new Map(trend.map((r) => [r.month, r.n]));
  const firstDay = row?.first_day ?? null;
  return {
    started: row?.started ?? 0,
    // The chat had not begun by the start of that period: nothing to compare with.
    yearBefore: { ...before, started: firstDay !== null && firstDay <= before.from ? (row?.before ?? 0) : null },
    firstDay,
    trend: months.map((month) => ({ month, earlySupport: perMonth.get(month) ?? 0 })),
    earlySupport: trend.reduce((s, r) => s + r.n, 0),
    days,
    baseline,
  };
}

export async function loadChatStatistics(db: Db, f: ChatStatisticsFilter, settings: Pick<ChatSettings, 'weekly' | 'exceptions'>): Promise<ChatStatistics> {
  const { months } = periodKeys(f.from, f.to);
  const days = daysBetween(f.from, f.to) + 1;
  const [counted, waits, recorded, goal] = await Promise.all([counts(db, f), waiting(db, f, months), outcomes(db, f), goals(db, f, months, days)]);
  return { filter: f, ...counted, waiting: waits, ...recorded, open: openTime(settings, f), goals: goal };
}
