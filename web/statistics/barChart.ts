// Geometry of a horizontal bar chart drawn as server-side SVG (views/chart.eta): one row per
// category with a bar per series, a zero line (values may be negative), gridlines with tick values,
// and a legend when there is more than one series. A row without values (hidden for anonymity)
// carries a note instead of bars. Reference lines (a baseline, a goal) cross every row as dashed
// lines named in the legend. The data table beside the chart carries the same numbers.

export interface BarChartInput {
  series: string[];
  rows: { label: string; values: (number | null)[]; note?: string }[];
  /** The axis runs at least over [min, max]; it always includes 0. */
  min?: number;
  max?: number;
  /** Distance between gridlines; a nice step is chosen when absent. */
  step?: number;
  /** Counts: gridlines only at whole numbers (a tick of 2.5 would read "3"). */
  wholeSteps?: boolean;
  /** Dashed lines across the rows at these values (the axis reaches them). */
  references?: { label: string; value: number }[];
  format: (n: number) => string;
}

const WIDTH = 720;
const LABEL_WIDTH = 230;
const VALUE_ROOM = 64;
const BAR = 14;
const GAP = 3;
const ROW_PAD = 7;
const AXIS = 22;
const LEGEND = 26;
const LABEL_MAX = 28;
/** Distinct at 3:1 or more against white (WCAG 1.4.11), and from each other. */
export const SERIES_COLOURS = ['#0b5fa5', '#a34f00', '#1b7a3d', '#6b3fa0'];
/** Reference lines: dark grey and dark red, told apart by their dashes too. */
const REFERENCE_STYLES = [
  { colour: '#4d4d4d', dash: '6 4' },
  { colour: '#b3261e', dash: '2 3' },
];

const round = (n: number) => Math.round(n * 10) / 10;

/** A step of 1, 2, 2.5 or 5 × 10^k that splits `span` into about `parts` intervals. */
export function niceStep(span: number, parts = 4): number {
  if (!(span > 0)) return 1;
  const raw = span / parts;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
}

export function barChart(input: BarChartInput) {
  const references = input.references ?? [];
  const values = [...input.rows.flatMap((r) => r.values), ...references.map((r) => r.value)].filter((v): v is number => v !== null);
  const lo = Math.min(0, input.min ?? 0, ...values);
  const hi = Math.max(0, input.max ?? 0, ...values);
  const nice = niceStep(hi - lo || 1);
  const step = input.step ?? (input.wholeSteps ? (nice < 1 ? 1 : nice === 2.5 ? 2 : nice) : nice);
  const axisMin = Math.floor(lo / step) * step;
  const axisMax = Math.max(Math.ceil(hi / step) * step, axisMin + step);

  const legendItems = input.series.length + references.length;
  const top = legendItems > 1 ? LEGEND : 6;
  const rowHeight = input.series.length * (BAR + GAP) - GAP + 2 * ROW_PAD;
  const plotLeft = LABEL_WIDTH;
  const plotRight = WIDTH - VALUE_ROOM;
  const x = (v: number) => round(plotLeft + ((v - axisMin) / (axisMax - axisMin)) * (plotRight - plotLeft));
  const zero = x(0);
  const plotBottom = top + input.rows.length * rowHeight;

  const ticks: { value: number; x: number; text: string }[] = [];
  for (let v = axisMin; v <= axisMax + step / 1000; v += step) {
    const value = Math.round(v * 1e6) / 1e6;
    ticks.push({ value, x: x(value), text: input.format(value) });
  }

  return {
    width: WIDTH,
    height: plotBottom + AXIS,
    plotTop: top,
    plotBottom,
    zero,
    ticks,
    tickY: plotBottom + 15,
    legend:
      legendItems > 1
        ? [
            ...input.series.map((label, i) => ({ label, colour: SERIES_COLOURS[i % SERIES_COLOURS.length], dash: null as string | null })),
            ...references.map((r, i) => ({ label: r.label, ...REFERENCE_STYLES[i % REFERENCE_STYLES.length] })),
          ].map((item, i) => ({ ...item, x: plotLeft + i * 150, y: 6 }))
        : [],
    references: references.map((r, i) => ({ x: x(r.value), ...REFERENCE_STYLES[i % REFERENCE_STYLES.length] })),
    rows: input.rows.map((row, i) => {
      const y = top + i * rowHeight;
      const label = row.label.length > LABEL_MAX ? `${row.label.slice(0, LABEL_MAX - 1)}…` : row.label;
      return {
        label,
        labelX: plotLeft - 8,
        labelY: round(y + rowHeight / 2 + 4),
        note: row.note ?? null,
        noteX: zero + 6,
        bars: row.note
          ? []
          : row.values.flatMap((v, s) => {
              if (v === null) return [];
              const end = x(v);
              const barY = y + ROW_PAD + s * (BAR + GAP);
              return [
                {
                  x: Math.min(zero, end),
                  y: barY,
                  width: round(Math.abs(end - zero)),
                  height: BAR,
                  colour: SERIES_COLOURS[s % SERIES_COLOURS.length],
                  text: input.format(v),
                  textX: v < 0 ? end - 4 : end + 4,
                  textY: barY + BAR - 3,
                  anchor: v < 0 ? 'end' : 'start',
                },
              ];
            }),
      };
    }),
  };
}

export type BarChart = ReturnType<typeof barChart>;
