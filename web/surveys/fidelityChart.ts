// Geometry of the programme-fidelity bar chart (R3.5), drawn as server-side SVG by the results view:
// one bar per session or module on the 1–5 scale. Missing means (too few answers) leave a gap.
import { SCALE_MAX } from '../../lib/surveys/definitions';

export interface ChartPoint {
  label: string;
  value: number | null;
}

const HEIGHT = 220;
const TOP = 12;
const BOTTOM = 28;
const LEFT = 36;
const SLOT = 48;
const BAR = 30;

export function fidelityChart(points: ChartPoint[], format: (n: number) => string) {
  const plot = HEIGHT - TOP - BOTTOM;
  const y = (v: number) => Math.round((TOP + plot - (v / SCALE_MAX) * plot) * 10) / 10;
  const width = LEFT + Math.max(points.length, 1) * SLOT + 8;
  return {
    width,
    height: HEIGHT,
    baseline: y(0),
    plotRight: width - 8,
    grid: Array.from({ length: SCALE_MAX }, (_, i) => ({ value: i + 1, y: y(i + 1) })),
    labelX: LEFT - 6,
    bars: points.map((p, i) => {
      const x = LEFT + i * SLOT + (SLOT - BAR) / 2;
      return {
        label: p.label,
        x,
        width: BAR,
        centre: x + BAR / 2,
        y: p.value === null ? y(0) : y(p.value),
        height: p.value === null ? 0 : Math.round((y(0) - y(p.value)) * 10) / 10,
        text: p.value === null ? '–' : format(p.value),
        missing: p.value === null,
      };
    }),
  };
}

export type FidelityChart = ReturnType<typeof fidelityChart>;
