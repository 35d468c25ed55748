// The chat section's figures (issue 17), described like the rest of the statistics page
// (figures.ts): rows and columns that the page draws as an SVG chart with its data table, and the
// CSV export writes cell for cell. Above them a short summary in plain Swedish, for the report to
// the council on the chat's two goals (seed 000): more young people who need advice contact social
// services, and early advice and support efforts increase by 100 %.
import { intlLocale, type Translate } from '../../lib/i18n';
import { WEEKDAYS } from '../../lib/chat/chatSettings';
import { EARLY_SUPPORT_GOAL_FACTOR } from '../../lib/statistics/chatBaseline';
import { narrowsWeekOrHours } from '../../lib/statistics/chatFilters';
import type { ChatCounts, ChatOutcomeRow, ChatStatistics } from '../../lib/statistics/chat';
import { MIN_ANSWERS } from '../../lib/statistics';
import { drawCharts, pageFormatter, type Figure, type FigureRow } from './figures';

export const CHAT_FIGURE_IDS = [
  'chatGoals',
  'chatMonths',
  'chatWeeks',
  'chatWeekdays',
  'chatHours',
  'chatWaiting',
  'chatAbandoned',
  'chatResults',
  'chatTopics',
  'chatAgeBands',
  'chatTrend',
] as const;
export type ChatFigureId = (typeof CHAT_FIGURE_IDS)[number];

export function isChatFigure(id: string): id is ChatFigureId {
  return (CHAT_FIGURE_IDS as readonly string[]).includes(id);
}

const SECONDS_PER_MINUTE = 60;
const DAYS_PER_YEAR = 365;
const MONTHS_PER_YEAR = 12;

/** Change from `before` to `now` in percent; null when there is nothing to compare with. */
export function percentChange(now: number, before: number | null): number | null {
  return before ? ((now - before) / before) * 100 : null;
}

/** The admin's yearly baseline for a period of `days` days, and the goal for it (twice that). */
export function baselineForDays(perYear: number, days: number): { baseline: number; goal: number } {
  const baseline = (perYear * days) / DAYS_PER_YEAR;
  return { baseline, goal: baseline * EARLY_SUPPORT_GOAL_FACTOR };
}

function monthLabel(month: string, lang: string): string {
  return new Intl.DateTimeFormat(intlLocale(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T12:00:00Z`));
}

export function dayLabel(date: string, lang: string): string {
  return new Intl.DateTimeFormat(intlLocale(lang), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

const pad = (h: number) => String(h).padStart(2, '0');

const countCells = (c: ChatCounts) => [c.started, c.answered, c.abandoned, c.closedNotice];

export function buildChatFigures(stats: ChatStatistics, t: Translate, lang: string): Figure[] {
  const tc = (key: string, params?: Record<string, string | number>) => t(`statistics.chat.${key}`, params);
  const noData = stats.total.started + stats.total.closedNotice === 0 ? tc('empty') : null;
  const tooFew = { long: tc('tooFew', { min: MIN_ANSWERS }), short: tc('tooFewShort') };
  const countColumns = [
    { key: 'started', label: tc('columns.started'), format: 'count' as const },
    { key: 'answered', label: tc('columns.answered'), format: 'count' as const },
    { key: 'abandoned', label: tc('columns.abandoned'), format: 'count' as const },
    { key: 'closedNotice', label: tc('columns.closedNotice'), format: 'count' as const },
  ];
  const totalRow = (cells: (number | null)[], hidden = false): FigureRow => ({ key: 'total', label: t('statistics.total'), cells, hidden, total: true });
  const figures: Omit<Figure, 'chart'>[] = [];

  // The goals: conversations against a year before, early efforts against the admin's baseline.
  const g = stats.goals;
  const perYear = g.baseline.earlySupportPerYear;
  const forPeriod = perYear === null ? null : baselineForDays(perYear, g.days);
  figures.push({
    id: 'chatGoals',
    title: tc('goals.title'),
    lead: tc('goals.lead'),
    rowHeading: tc('goals.rowHeading'),
    columns: [
      { key: 'period', label: tc('columns.period'), format: 'count' },
      { key: 'comparison', label: tc('columns.comparison'), format: 'count' },
      { key: 'change', label: tc('columns.change'), format: 'percentChange' },
    ],
    rows: [
      { key: 'conversations', label: tc('goals.conversations'), cells: [g.started, g.yearBefore.started, percentChange(g.started, g.yearBefore.started)], hidden: false, total: false },
      {
        key: 'earlySupport',
        label: tc('goals.earlySupport'),
        cells: [g.earlySupport, forPeriod && Math.round(forPeriod.baseline), forPeriod && percentChange(g.earlySupport, forPeriod.baseline)],
        hidden: false,
        total: false,
      },
    ],
    chartColumns: [2],
    axis: { references: [{ label: tc('goals.goalLine'), value: (EARLY_SUPPORT_GOAL_FACTOR - 1) * 100 }] },
    empty: g.firstDay === null ? tc('empty') : null,
  });

  // Conversations over time.
  const monthRows = stats.months.map((m) => ({ key: m.key, label: monthLabel(m.key, lang), cells: countCells(m.counts), hidden: false, total: false }));
  figures.push({
    id: 'chatMonths',
    title: tc('months.title'),
    lead: tc('months.lead'),
    rowHeading: tc('rowHeadings.month'),
    columns: countColumns,
    rows: [...monthRows, totalRow(countCells(stats.total))],
    chartColumns: [0, 3],
    axis: {},
    empty: noData,
  });
  figures.push({
    id: 'chatWeeks',
    title: tc('weeks.title'),
    lead: tc('weeks.lead'),
    rowHeading: tc('rowHeadings.week'),
    columns: countColumns,
    rows: [
      ...stats.weeks.map((w) => ({ key: w.key, label: tc('weekLabel', { week: Number(w.key.slice(6)), year: w.key.slice(0, 4) }), cells: countCells(w.counts), hidden: false, total: false })),
      totalRow(countCells(stats.total)),
    ],
    chartColumns: [0],
    axis: {},
    empty: noData,
  });

  // When: weekdays and hours, against the opening hours.
  const openColumns = [
    { key: 'started', label: tc('columns.started'), format: 'count' as const },
    { key: 'closedNotice', label: tc('columns.closedNotice'), format: 'count' as const },
    { key: 'openHours', label: tc('columns.openHours'), format: 'hours' as const },
  ];
  const o = stats.open;
  figures.push({
    id: 'chatWeekdays',
    title: tc('weekdays.title'),
    lead: tc('weekdays.lead'),
    rowHeading: tc('rowHeadings.weekday'),
    columns: openColumns,
    rows: [
      ...stats.weekdays.map((w) => ({
        key: WEEKDAYS[w.weekday],
        label: t(`chatAdmin.weekdays.${WEEKDAYS[w.weekday]}`),
        cells: [w.counts.started, w.counts.closedNotice, o.weekdayMinutes[w.weekday] / 60],
        hidden: false,
        total: false,
      })),
      totalRow([stats.total.started, stats.total.closedNotice, o.weekdayMinutes.reduce((s, m) => s + m, 0) / 60]),
    ],
    chartColumns: [0, 1],
    axis: {},
    empty: noData,
  });
  figures.push({
    id: 'chatHours',
    title: tc('hours.title'),
    lead: tc('hours.lead'),
    rowHeading: tc('rowHeadings.hour'),
    columns: openColumns,
    rows: [
      ...stats.hours.map((h) => {
        const minutes = o.hourMinutes[h.hour];
        const state = minutes === 0 ? 'closed' : minutes >= o.days * 60 ? 'open' : 'partly';
        return {
          key: pad(h.hour),
          label: tc(`hours.${state}`, { from: pad(h.hour), to: pad(h.hour + 1) }),
          cells: [h.counts.started, h.counts.closedNotice, minutes / 60],
          hidden: false,
          total: false,
        };
      }),
      totalRow([stats.total.started, stats.total.closedNotice, o.hourMinutes.reduce((s, m) => s + m, 0) / 60]),
    ],
    chartColumns: [0, 1],
    axis: {},
    empty: noData,
  });

  // Waiting: minutes in the queue until answered; few waits hidden.
  const minutes = (s: number | null) => (s === null ? null : s / SECONDS_PER_MINUTE);
  const waitTotal = stats.waiting.find((w) => w.key === null)!;
  figures.push({
    id: 'chatWaiting',
    title: tc('waiting.title'),
    lead: tc('waiting.lead', { min: MIN_ANSWERS }),
    rowHeading: tc('rowHeadings.month'),
    columns: [
      { key: 'answered', label: tc('columns.answered'), format: 'count' },
      { key: 'median', label: tc('columns.median'), format: 'minutes' },
      { key: 'p90', label: tc('columns.p90'), format: 'minutes' },
    ],
    rows: stats.waiting.map((w) => ({
      key: w.key ?? 'total',
      label: w.key === null ? t('statistics.total') : monthLabel(w.key, lang),
      cells: w.hidden ? [null, null, null] : [w.answered, minutes(w.median), minutes(w.p90)],
      hidden: w.hidden,
      total: w.key === null,
    })),
    chartColumns: [1, 2],
    axis: {},
    empty: noData ?? (stats.total.answered === 0 ? tc('waiting.empty') : null),
    tooFew,
  });

  // Visitors who left the queue before anyone answered.
  const share = (part: number, whole: number) => (whole ? (part / whole) * 100 : null);
  figures.push({
    id: 'chatAbandoned',
    title: tc('abandoned.title'),
    lead: tc('abandoned.lead'),
    rowHeading: tc('rowHeadings.month'),
    columns: [
      { key: 'started', label: tc('columns.started'), format: 'count' },
      { key: 'abandoned', label: tc('columns.abandoned'), format: 'count' },
      { key: 'share', label: tc('columns.abandonedShare'), format: 'percent' },
    ],
    rows: [
      ...stats.months.map((m) => ({ key: m.key, label: monthLabel(m.key, lang), cells: [m.counts.started, m.counts.abandoned, share(m.counts.abandoned, m.counts.started)], hidden: false, total: false })),
      totalRow([stats.total.started, stats.total.abandoned, share(stats.total.abandoned, stats.total.started)]),
    ],
    chartColumns: [2],
    axis: {},
    empty: noData ?? (stats.total.started === 0 ? tc('abandoned.empty') : null),
  });

  // Outcomes: results, topics and age bands the counsellors recorded; 1–4 hidden.
  const recordedHidden = stats.recorded > 0 && stats.recorded < MIN_ANSWERS;
  const outcomeRows = (rows: ChatOutcomeRow[], label: (r: ChatOutcomeRow) => string): FigureRow[] => [
    ...rows.map((r) => ({
      key: r.id ?? 'notSaid',
      label: label(r),
      cells: r.hidden || recordedHidden ? [null, null] : [r.n, share(r.n ?? 0, stats.recorded)],
      hidden: r.hidden || recordedHidden,
      total: false,
    })),
    totalRow(recordedHidden ? [null, null] : [stats.recorded, stats.recorded ? 100 : null], recordedHidden),
  ];
  const outcomeColumns = [
    { key: 'count', label: tc('columns.conversations'), format: 'count' as const },
    { key: 'share', label: tc('columns.share'), format: 'percent' as const },
  ];
  const choiceLabel = (r: ChatOutcomeRow) => {
    const parts = [r.label];
    if (r.earlySupport) parts.push(tc('outcomes.earlySupportMark'));
    if (r.retired) parts.push(tc('outcomes.retiredMark'));
    return parts.join(' ');
  };
  const noOutcomes = noData ?? (stats.recorded === 0 ? tc('outcomes.empty') : null);
  for (const [id, field] of [
    ['chatResults', 'result'],
    ['chatTopics', 'topic'],
    ['chatAgeBands', 'ageBand'],
  ] as const) {
    figures.push({
      id,
      title: tc(`outcomes.${field}.title`),
      lead: tc(`outcomes.${field}.lead`, { min: MIN_ANSWERS }),
      rowHeading: tc(`outcomes.${field}.rowHeading`),
      columns: outcomeColumns,
      rows: outcomeRows(stats.outcomes[field], (r) => (r.id === null ? tc('outcomes.ageNotSaid') : choiceLabel(r))),
      chartColumns: [0],
      axis: {},
      empty: noOutcomes,
      tooFew,
    });
  }

  // The trend of early efforts per month against the baseline's monthly average and the goal.
  const monthly = perYear === null ? null : perYear / MONTHS_PER_YEAR;
  figures.push({
    id: 'chatTrend',
    title: tc('trend.title'),
    lead: monthly === null ? tc('trend.leadNoBaseline') : tc('trend.lead', { baseline: perYear!, year: g.baseline.yearLabel || tc('trend.yearUnnamed') }),
    rowHeading: tc('rowHeadings.month'),
    columns: [
      { key: 'earlySupport', label: tc('columns.earlySupport'), format: 'count' },
      { key: 'baseline', label: tc('columns.baselineMonth'), format: 'mean' },
      { key: 'goal', label: tc('columns.goalMonth'), format: 'mean' },
      { key: 'change', label: tc('columns.changeBaseline'), format: 'percentChange' },
    ],
    rows: g.trend.map((m) => ({
      key: m.month,
      label: monthLabel(m.month, lang),
      cells: [m.earlySupport, monthly, monthly && monthly * EARLY_SUPPORT_GOAL_FACTOR, percentChange(m.earlySupport, monthly)],
      hidden: false,
      total: false,
    })),
    chartColumns: [0],
    axis: {
      references:
        monthly === null
          ? []
          : [
              { label: tc('trend.baselineLine'), value: monthly },
              { label: tc('trend.goalLine'), value: monthly * EARLY_SUPPORT_GOAL_FACTOR },
            ],
    },
    empty: g.firstDay === null ? tc('empty') : null,
  });

  return drawCharts(figures, t, lang);
}

/**
 * The summary above the figures: what a head of social services reports to the council, in plain
 * sentences, with the same numbers as the figures.
 */
export function chatSummary(stats: ChatStatistics, t: Translate, lang: string): string[] {
  const tc = (key: string, params?: Record<string, string | number>) => t(`statistics.chat.summary.${key}`, params);
  const fmt = pageFormatter(lang);
  const count = (n: number) => fmt('count', n);
  const g = stats.goals;
  if (g.firstDay === null) return [t('statistics.chat.empty')];
  const out: string[] = [];
  const s = stats.total;
  out.push(tc('started', { started: count(s.started), from: dayLabel(stats.filter.from, lang), to: dayLabel(stats.filter.to, lang) }));
  if (g.yearBefore.started === null) out.push(tc('noYearBefore'));
  else if (g.yearBefore.started === 0) out.push(tc('noneYearBefore'));
  else out.push(tc('yearBefore', { before: count(g.yearBefore.started), change: fmt('percentChange', percentChange(g.started, g.yearBefore.started)) }));
  if (s.started > 0) {
    out.push(tc('answered', { answered: count(s.answered), abandoned: count(s.abandoned), share: fmt('percent', (s.abandoned / s.started) * 100) }));
  }
  const wait = stats.waiting.find((w) => w.key === null)!;
  if (wait.hidden) out.push(tc('waitHidden', { min: MIN_ANSWERS }));
  else if (wait.median !== null && wait.p90 !== null) {
    out.push(tc('wait', { median: fmt('minutes', wait.median / SECONDS_PER_MINUTE), p90: fmt('minutes', wait.p90 / SECONDS_PER_MINUTE) }));
  }
  out.push(tc('closedNotice', { closed: count(s.closedNotice) }));
  if (s.answered > 0) out.push(tc('recorded', { recorded: count(stats.recorded), answered: count(s.answered) }));
  const perYear = g.baseline.earlySupportPerYear;
  if (perYear === null) out.push(tc('earlySupportNoBaseline', { efforts: count(g.earlySupport) }));
  else {
    const { baseline, goal } = baselineForDays(perYear, g.days);
    out.push(
      tc('earlySupport', {
        efforts: count(g.earlySupport),
        perYear: count(perYear),
        year: g.baseline.yearLabel || t('statistics.chat.trend.yearUnnamed'),
        days: count(g.days),
        baseline: count(Math.round(baseline)),
        goal: count(Math.round(goal)),
        change: fmt('percentChange', percentChange(g.earlySupport, baseline)),
      }),
    );
  }
  if (narrowsWeekOrHours(stats.filter)) out.push(tc('narrowed'));
  return out;
}
