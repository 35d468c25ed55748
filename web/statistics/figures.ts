// The statistics page's figures (R9.1): each one a table of rows and columns that the page shows
// as an SVG chart and a data table, and the CSV export writes cell for cell. A hidden row (too few
// answers to stay anonymous) is hidden in all three, from this one description.
import { CSV_BOM, csvLine } from '../../lib/csv';
import { localized } from '../../lib/surveys/definitions';
import { MIN_ANSWERS, type Breakdown, type FeedbackMeasure, type Statistics, type StatisticsPart } from '../../lib/statistics';
import { termLabel } from '../../lib/statistics/terms';
import { intlLocale, type Translate } from '../../lib/i18n';
import { barChart, type BarChart } from './barChart';
import type { ChatFigureId } from './chatFigures';

export const FIGURE_IDS = ['leaders', 'orientation', 'participation', 'completion', 'waiting', 'delivery', 'quality', 'fidelity', 'effect'] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

/** The computation each figure is drawn from (a CSV of one figure runs only that one). */
export const FIGURE_PART: Record<FigureId, StatisticsPart> = {
  leaders: 'leaders',
  orientation: 'leaders',
  participation: 'participation',
  completion: 'participation',
  waiting: 'participation',
  delivery: 'feedback',
  quality: 'feedback',
  fidelity: 'feedback',
  effect: 'effect',
};

export type CellFormat = 'count' | 'percent' | 'days' | 'mean' | 'change' | 'minutes' | 'hours' | 'percentChange';

export interface FigureRow {
  key: string;
  label: string;
  cells: (number | null)[];
  hidden: boolean;
  total: boolean;
}

export interface Figure {
  id: FigureId | ChatFigureId;
  title: string;
  lead: string;
  rowHeading: string;
  columns: { key: string; label: string; format: CellFormat }[];
  rows: FigureRow[];
  /** Which columns the chart draws, and its axis. */
  chartColumns: number[];
  axis: { min?: number; max?: number; step?: number; references?: { label: string; value: number }[] };
  /** Shown instead of chart and table when there is nothing to show. */
  empty: string | null;
  /** What a hidden row says (long: table and CSV; short: the chart); "too few answers" when absent. */
  tooFew?: { long: string; short: string };
  chart: BarChart | null;
}

export interface FigureContext {
  t: Translate;
  lang: string;
  by: Breakdown;
  districtNames: Map<string, string>;
}

/** Number formats of the page (the reader's language). */
export function pageFormatter(lang: string) {
  const locale = intlLocale(lang);
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const one = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const signed = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  const signedOne = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  return (format: CellFormat, v: number | null): string => {
    if (v === null) return '–';
    switch (format) {
      case 'count':
        return count.format(v);
      case 'percent':
        return `${one.format(v)}\u00a0%`;
      case 'change':
        return signed.format(v);
      case 'percentChange':
        return `${signedOne.format(v)}\u00a0%`;
      default:
        return one.format(v);
    }
  };
}

/** Number formats of the CSV: Swedish decimal comma (the file is for Swedish Excel), no grouping. */
export function csvValue(format: CellFormat, v: number | null): string {
  if (v === null) return '';
  const fixed = format === 'count' ? String(Math.round(v)) : v.toFixed(format === 'percent' || format === 'percentChange' ? 1 : 2);
  return fixed.replace('.', ',');
}

const collator = new Intl.Collator('sv');

/** Rows in reading order: districts by name (no district last), kinds in course order, terms in time order; the total last. */
function breakdownRows<T extends { key: string | null }>(rows: T[], ctx: FigureContext): { row: T; key: string; label: string; total: boolean }[] {
  const label = (key: string | null): string => {
    if (key === null) return ctx.t('statistics.total');
    if (ctx.by === 'district') return key === '' ? ctx.t('statistics.noDistrict') : (ctx.districtNames.get(key) ?? ctx.t('statistics.unknownDistrict'));
    if (ctx.by === 'kind') return ctx.t(`kinds.${key}`);
    return termLabel(Number(key));
  };
  const order = (a: T, b: T): number => {
    if (a.key === null || b.key === null) return Number(a.key === null) - Number(b.key === null);
    if (ctx.by === 'term') return Number(a.key) - Number(b.key);
    if (ctx.by === 'kind') return a.key === b.key ? 0 : a.key === 'groupCourse' ? -1 : 1;
    if (a.key === '' || b.key === '') return Number(a.key === '') - Number(b.key === '');
    return collator.compare(label(a.key), label(b.key));
  };
  return [...rows].sort(order).map((row) => ({ row, key: row.key === null ? 'total' : row.key || 'none', label: label(row.key), total: row.key === null }));
}

export function buildFigures(stats: Statistics, ctx: FigureContext): Figure[] {
  const { t } = ctx;
  const rowHeading = t(`statistics.by.${ctx.by}`);
  const figures: Omit<Figure, 'chart'>[] = [];

  // Group leaders.
  const l = stats.leaders;
  figures.push({
    id: 'leaders',
    title: t('statistics.leaders.title'),
    lead: t('statistics.leaders.lead'),
    rowHeading: t('statistics.leaders.rowHeading'),
    columns: [{ key: 'count', label: t('statistics.columns.count'), format: 'count' }],
    rows: [
      { key: 'leaders', label: t('statistics.leaders.leaders'), cells: [l.leaders], hidden: false, total: false },
      { key: 'active', label: t('statistics.leaders.active'), cells: [l.active], hidden: false, total: false },
    ],
    chartColumns: [0],
    axis: {},
    empty: l.leaders ? null : t('statistics.leaders.empty'),
  });
  figures.push({
    id: 'orientation',
    title: t('statistics.orientation.title'),
    lead: t('statistics.orientation.lead'),
    rowHeading: t('statistics.orientation.rowHeading'),
    columns: [
      { key: 'leaders', label: t('statistics.columns.leaders'), format: 'count' },
      { key: 'active', label: t('statistics.columns.active'), format: 'count' },
    ],
    rows: l.orientation.map((o, i) => ({
      key: o.title === null ? 'none' : `t${i}`,
      label: o.title ?? t('statistics.orientation.none'),
      cells: [o.leaders, o.active],
      hidden: false,
      total: false,
    })),
    chartColumns: [0, 1],
    axis: {},
    empty: l.leaders ? null : t('statistics.leaders.empty'),
  });

  // Parents.
  const parts = breakdownRows(stats.participation, ctx);
  const noParents = !parts.length ? t('statistics.participation.empty') : null;
  figures.push({
    id: 'participation',
    title: t('statistics.participation.title'),
    lead: t('statistics.participation.lead'),
    rowHeading,
    columns: [
      { key: 'applied', label: t('statistics.columns.applied'), format: 'count' },
      { key: 'started', label: t('statistics.columns.started'), format: 'count' },
      { key: 'completed', label: t('statistics.columns.completed'), format: 'count' },
    ],
    rows: parts.map(({ row, key, label, total }) => ({ key, label, total, hidden: false, cells: [row.applied, row.started, row.completed] })),
    chartColumns: [0, 1, 2],
    axis: {},
    empty: noParents,
  });
  figures.push({
    id: 'completion',
    title: t('statistics.completion.title'),
    lead: t('statistics.completion.lead'),
    rowHeading,
    columns: [
      { key: 'started', label: t('statistics.columns.started'), format: 'count' },
      { key: 'completed', label: t('statistics.columns.completed'), format: 'count' },
      { key: 'rate', label: t('statistics.columns.rate'), format: 'percent' },
    ],
    rows: parts.map(({ row, key, label, total }) => ({
      key,
      label,
      total,
      hidden: false,
      cells: [row.started, row.completed, row.completionRate === null ? null : row.completionRate * 100],
    })),
    chartColumns: [2],
    axis: { max: 100, step: 20 },
    empty: noParents,
  });
  figures.push({
    id: 'waiting',
    title: t('statistics.waiting.title'),
    lead: t('statistics.waiting.lead'),
    rowHeading,
    columns: [
      { key: 'started', label: t('statistics.columns.started'), format: 'count' },
      { key: 'median', label: t('statistics.columns.median'), format: 'days' },
      { key: 'mean', label: t('statistics.columns.mean'), format: 'days' },
    ],
    rows: parts.map(({ row, key, label, total }) => ({ key, label, total, hidden: false, cells: [row.started, row.waitingMedian, row.waitingMean] })),
    chartColumns: [1, 2],
    axis: {},
    empty: noParents,
  });

  // Feedback: one figure per measure; a group with 1–4 answers is hidden, one with none left out.
  for (const measure of ['delivery', 'quality', 'fidelity'] as FeedbackMeasure[]) {
    const rows = breakdownRows(stats.feedback, ctx).filter(({ row }) => row.measures[measure].hidden || row.measures[measure].answers);
    figures.push({
      id: measure,
      title: t(`statistics.${measure}.title`),
      lead: t(`statistics.${measure}.lead`, { min: MIN_ANSWERS }),
      rowHeading,
      columns: [
        { key: 'answers', label: t('statistics.columns.answers'), format: 'count' },
        { key: 'mean', label: t('statistics.columns.scaleMean'), format: 'mean' },
      ],
      rows: rows.map(({ row, key, label, total }) => {
        const cell = row.measures[measure];
        return { key, label, total, hidden: cell.hidden, cells: cell.hidden ? [null, null] : [cell.answers, cell.mean] };
      }),
      chartColumns: [1],
      axis: { max: 5, step: 1 },
      empty: rows.length ? null : t('statistics.feedbackEmpty'),
    });
  }

  // Effect: one row per question asked before and after.
  const e = stats.effect;
  figures.push({
    id: 'effect',
    title: t('statistics.effect.title'),
    lead: t('statistics.effect.lead', { min: MIN_ANSWERS }),
    rowHeading: t('statistics.effect.rowHeading'),
    columns: [
      { key: 'pairs', label: t('statistics.columns.pairs'), format: 'count' },
      { key: 'pre', label: t('statistics.columns.pre'), format: 'mean' },
      { key: 'post', label: t('statistics.columns.post'), format: 'mean' },
      { key: 'change', label: t('statistics.columns.change'), format: 'change' },
    ],
    rows: e.rows.map((r) => {
      const text = localized(r.question, ctx.lang);
      return {
        key: r.question.id,
        label: `${r.number}. ${text}`,
        cells: r.hidden ? [null, null, null, null] : [r.pairs, r.preMean, r.postMean, r.change],
        hidden: r.hidden,
        total: false,
      };
    }),
    chartColumns: [3],
    axis: { min: -1, max: 1, step: 0.5 },
    empty: !e.pairs ? t('statistics.effect.empty') : !e.shown ? t('statistics.effect.tooFew', { min: MIN_ANSWERS }) : null,
  });

  return drawCharts(figures, t, ctx.lang);
}

/** Each figure's chart from its rows (none when the figure is empty). */
export function drawCharts(figures: Omit<Figure, 'chart'>[], t: Translate, lang: string): Figure[] {
  const fmt = pageFormatter(lang);
  return figures.map((f) => ({
    ...f,
    chart:
      f.empty || !f.rows.length
        ? null
        : barChart({
            series: f.chartColumns.map((c) => f.columns[c].label),
            // The total is in the table; as a bar it would dwarf the rows it sums up.
            rows: f.rows
              .filter((r) => !r.total || f.rows.length === 1)
              .map((r) => ({ label: r.label, values: f.chartColumns.map((c) => r.cells[c]), note: r.hidden ? (f.tooFew?.short ?? t('statistics.tooFewShort')) : undefined })),
            ...f.axis,
            wholeSteps: f.columns[f.chartColumns[0]].format === 'count',
            format: (n) => fmt(f.columns[f.chartColumns[0]].format, n),
          }),
  }));
}

/** A whole file for Swedish Excel (lib/csv.ts): BOM, `;` between cells, CRLF between lines. */
function csvDocument(rows: string[][]): string {
  return `${CSV_BOM}${rows.map(csvLine).join('\r\n')}\r\n`;
}

/** One figure as CSV: the same rows and columns as its table; a hidden row says so in every cell. */
export function figureCsv(figure: Figure, t: Translate): string {
  const hidden = figure.tooFew?.long ?? t('statistics.tooFew', { min: MIN_ANSWERS });
  const header = [figure.rowHeading, ...figure.columns.map((c) => c.label)];
  if (figure.empty) return csvDocument([header, [figure.empty]]);
  return csvDocument([
    header,
    ...figure.rows.map((r) => [r.label, ...figure.columns.map((c, i) => (r.hidden ? hidden : csvValue(c.format, r.cells[i])))]),
  ]);
}
