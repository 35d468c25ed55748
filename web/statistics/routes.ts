// Statistics for central follow-up (R9.1, R9.2): group leaders, parents' participation, feedback
// and effect across the city, filtered by district, term and course kind; each figure as an SVG
// chart with its data table, and as CSV. Central only. The figures hold counts and means, never a
// person: reading them is not written to the audit trail. The chat's section has its own page and
// filter (chatRoutes.ts) and shares the CSV route.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  loadStatistics,
  MIN_ANSWERS,
  parseStatisticsQuery,
  termCode,
  termLabel,
  termOptions,
  type ParsedFilter,
  type StatisticsFilter,
} from '../../lib/statistics';
import { stockholmDateString } from '../../lib/time';
import type { AppEnv } from '../context';
import { translator } from '../../lib/i18n';
import { render } from '../render';
import { requireArea } from '../security/guards';
import { buildFigures, FIGURE_IDS, FIGURE_PART, figureCsv, pageFormatter, type FigureId } from './figures';
import { isChatFigure } from './chatFigures';
import { chatFigureCsv, chatStatisticsRoutes } from './chatRoutes';

const PAGE = '/personal/statistik';
const CSV = '/personal/statistik.csv';

type FilterCheck =
  | { ok: true; parsed: ParsedFilter; filter: StatisticsFilter }
  | { ok: false; errors: Record<string, string>; values: Record<string, string> };

const FIELDS = ['district', 'term', 'kind', 'by'];

/** The query string checked: its shape by zod, the district against the districts; every wrong field at once. */
function checkFilter(c: Context<AppEnv>, districts: { id: string; slug: string }[]): FilterCheck {
  const query = c.req.query();
  const parsed = parseStatisticsQuery(query);
  const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
  const slug = parsed.ok ? parsed.filter.district : query.district;
  const district = slug ? districts.find((d) => d.slug === slug) : undefined;
  if (slug && !district && !errors.district) errors.district = 'statistics.errors.district';
  if (!parsed.ok || errors.district) {
    // In the form's order, so the error summary reads top to bottom.
    const ordered = Object.fromEntries(FIELDS.filter((k) => errors[k]).map((k) => [k, errors[k]]));
    return { ok: false, errors: ordered, values: parsed.ok ? valuesOf(parsed.filter) : parsed.values };
  }
  const p = parsed.filter;
  return { ok: true, parsed: p, filter: { districtId: district?.id, term: p.term, kind: p.kind, by: p.by } };
}

function valuesOf(p: ParsedFilter): Record<string, string> {
  return { district: p.district ?? '', term: p.term === undefined ? '' : termCode(p.term), kind: p.kind ?? '', by: p.by };
}

function queryString(values: Record<string, string>, figure?: FigureId): string {
  const params = new URLSearchParams();
  if (figure) params.set('figure', figure);
  for (const [k, v] of Object.entries(values)) if (v && !(k === 'by' && v === 'district')) params.set(k, v);
  return params.toString();
}

export function statisticsRoutes() {
  const app = new Hono<AppEnv>();
  app.use(PAGE, requireArea('statistics'));
  app.use(CSV, requireArea('statistics'));

  app.get(PAGE, async (c) => {
    const db = c.get('deps').db;
    const t = c.get('t');
    const now = new Date();
    const [districts, terms] = await Promise.all([
      db.district.findMany({ select: { id: true, slug: true, name: true }, orderBy: { name: 'asc' } }),
      termOptions(db, now),
    ]);
    const checked = checkFilter(c, districts);
    const base = {
      title: t('statistics.title'),
      districts,
      terms: terms.map((term) => ({ value: termCode(term), label: termLabel(term) })),
      minAnswers: MIN_ANSWERS,
    };
    if (!checked.ok) {
      // The form says what is wrong; no figures for a filter that means nothing.
      return render(c, '/statistics/views/page', { ...base, errors: checked.errors, values: checked.values, figures: null }, 400);
    }
    const stats = await loadStatistics(db, checked.filter, now);
    const values = valuesOf(checked.parsed);
    const figures = buildFigures(stats, {
      t,
      lang: c.get('lang'),
      by: checked.filter.by,
      districtNames: new Map(districts.map((d) => [d.id, d.name])),
    });
    const cell = pageFormatter(c.get('lang'));
    return render(c, '/statistics/views/page', {
      ...base,
      values,
      figures,
      cell,
      csvQuery: (figure: FigureId) => queryString(values, figure),
    });
  });

  app.get(CSV, async (c) => {
    const db = c.get('deps').db;
    const asked = c.req.query('figure') ?? '';
    // The chat section's figures have their own filter (chatRoutes.ts).
    if (isChatFigure(asked)) return chatFigureCsv(c, asked);
    const figure = asked as FigureId;
    if (!FIGURE_IDS.includes(figure)) throw new HTTPException(400, { message: 'unknown figure' });
    const districts = await db.district.findMany({ select: { id: true, slug: true, name: true } });
    const checked = checkFilter(c, districts);
    // The page explains what is wrong with the filter.
    if (!checked.ok) return c.redirect(`${PAGE}?${queryString(checked.values)}`, 303);
    // The file is for Swedish Excel and central's archive: Swedish texts, whatever the page's language.
    const sv = translator('sv');
    const stats = await loadStatistics(db, checked.filter, new Date(), [FIGURE_PART[figure]]);
    const figures = buildFigures(stats, { t: sv, lang: 'sv', by: checked.filter.by, districtNames: new Map(districts.map((d) => [d.id, d.name])) });
    const chosen = figures.find((f) => f.id === figure)!;
    const fileName = `${sv('statistics.csvFileName')}-${figure}-${stockholmDateString(new Date())}.csv`;
    return c.body(figureCsv(chosen, sv), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
    });
  });

  app.route('/', chatStatisticsRoutes());

  return app;
}
