// The chat section of the central statistics (issue 17): /personal/statistik/chatt, beside the
// parent courses' figures and in the same form: a filter (period, weekday, hours), a summary for
// the report on the chat's goals, and each figure as an SVG chart, its data table and a CSV file
// (through the page's one CSV route, /personal/statistik.csv?figure=chat…). Counts only, never a
// visitor or a conversation: reading them is not written to the audit trail.
import { Hono, type Context } from 'hono';
import { loadChatSettings, WEEKDAYS } from '../../lib/chat/chatSettings';
import { translator } from '../../lib/i18n';
import { MIN_ANSWERS } from '../../lib/statistics';
import { loadChatStatistics } from '../../lib/statistics/chat';
import { chatFilterValues, parseChatStatisticsQuery, type ChatStatisticsFilter } from '../../lib/statistics/chatFilters';
import { stockholmDateString } from '../../lib/time';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireArea } from '../security/guards';
import { buildChatFigures, chatSummary, dayLabel, type ChatFigureId } from './chatFigures';
import { figureCsv, pageFormatter } from './figures';

export const CHAT_PAGE = '/personal/statistik/chatt';

/** The filter in a link: the period always (a CSV fetched after midnight keeps the page's days), the rest when set. */
function chatQueryString(f: ChatStatisticsFilter, figure?: ChatFigureId): string {
  const params = new URLSearchParams();
  if (figure) params.set('figure', figure);
  params.set('from', f.from);
  params.set('to', f.to);
  if (f.weekday) params.set('weekday', f.weekday);
  if (f.hourFrom > 0) params.set('hourFrom', String(f.hourFrom));
  if (f.hourTo < 24) params.set('hourTo', String(f.hourTo));
  return params.toString();
}

/** The typed values back in the form, for a filter with errors. */
function valuesQueryString(values: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) params.set(k, v);
  return params.toString();
}

/** One chat figure as CSV (the page's CSV route hands chat figures here). */
export async function chatFigureCsv(c: Context<AppEnv>, figure: ChatFigureId) {
  const db = c.get('deps').db;
  const parsed = parseChatStatisticsQuery(c.req.query(), new Date());
  // The page explains what is wrong with the filter.
  if (!parsed.ok) return c.redirect(`${CHAT_PAGE}?${valuesQueryString(parsed.values)}`, 303);
  // For Swedish Excel and central's archive: Swedish texts, whatever the page's language.
  const sv = translator('sv');
  const stats = await loadChatStatistics(db, parsed.filter, await loadChatSettings(db));
  const chosen = buildChatFigures(stats, sv, 'sv').find((f) => f.id === figure)!;
  const fileName = `${sv('statistics.csvFileName')}-${figure}-${stockholmDateString(new Date())}.csv`;
  return c.body(figureCsv(chosen, sv), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${fileName}"`,
  });
}

export function chatStatisticsRoutes() {
  const app = new Hono<AppEnv>();
  app.use(CHAT_PAGE, requireArea('statistics'));

  app.get(CHAT_PAGE, async (c) => {
    const db = c.get('deps').db;
    const t = c.get('t');
    const lang = c.get('lang');
    const base = {
      title: t('statistics.chat.title'),
      minAnswers: MIN_ANSWERS,
      weekdays: WEEKDAYS.map((d) => ({ value: d, label: t(`chatAdmin.weekdays.${d}`) })),
      hoursFrom: Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, '0')}:00` })),
      hoursTo: Array.from({ length: 24 }, (_, h) => ({ value: String(h + 1), label: `${String(h + 1).padStart(2, '0')}:00` })),
    };
    const parsed = parseChatStatisticsQuery(c.req.query(), new Date());
    if (!parsed.ok) {
      // The form says what is wrong; no figures for a filter that means nothing.
      return render(c, '/statistics/views/chat', { ...base, errors: parsed.errors, values: parsed.values, figures: null, summary: null }, 400);
    }
    const f = parsed.filter;
    const stats = await loadChatStatistics(db, f, await loadChatSettings(db));
    return render(c, '/statistics/views/chat', {
      ...base,
      values: chatFilterValues(f),
      period: { from: dayLabel(f.from, lang), to: dayLabel(f.to, lang) },
      summary: chatSummary(stats, t, lang),
      figures: buildChatFigures(stats, t, lang),
      cell: pageFormatter(lang),
      csvQuery: (figure: ChatFigureId) => chatQueryString(f, figure),
    });
  });

  return app;
}
