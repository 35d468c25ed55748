// The chat statistics' query string (issue 17): a period of Stockholm days, one weekday or all,
// and a span of hours (from the start of one hour to the start of another, as opening hours are
// written: 10–16). Messages are translation keys; a period with no end given ends today.
import { z } from 'zod';
import { addDays, stockholmDateString } from '../time';
import { WEEKDAYS, type Weekday } from '../chat/chatSettings';
import { blankToUndefined, calendarDay, parseFilterQuery, type ParsedFilter } from '../validation/filterQuery';

/** The longest period the figures are drawn for: two years of weeks is about a hundred rows. */
export const CHAT_PERIOD_MAX_DAYS = 731;

const day = calendarDay('statistics.chat.errors.date').refine((d) => d >= '2000-01-01' && d <= '2100-12-31', { error: 'statistics.chat.errors.date' });

/** A whole hour in the query string (digits only), within [min, max]. */
const hour = (min: number, max: number, error: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ error })
      .trim()
      .regex(/^\d{1,2}$/, { error })
      .transform(Number)
      .refine((h) => h >= min && h <= max, { error })
      .optional(),
  );

export const ChatStatisticsQuery = z
  .object({
    from: z.preprocess(blankToUndefined, day.optional()),
    to: z.preprocess(blankToUndefined, day.optional()),
    weekday: z.preprocess(blankToUndefined, z.enum(WEEKDAYS, { error: 'statistics.chat.errors.weekday' }).optional()),
    hourFrom: hour(0, 23, 'statistics.chat.errors.hourFrom'),
    hourTo: hour(1, 24, 'statistics.chat.errors.hourTo'),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'statistics.chat.errors.range' });
    if (q.hourFrom !== undefined && q.hourTo !== undefined && q.hourFrom >= q.hourTo) {
      ctx.addIssue({ code: 'custom', path: ['hourTo'], message: 'statistics.chat.errors.hours' });
    }
  });

export interface ChatStatisticsFilter {
  /** First and last Stockholm day of the period, both included (YYYY-MM-DD). */
  from: string;
  to: string;
  weekday?: Weekday;
  /** Hours from `hourFrom` (0–23) up to, not including, `hourTo` (1–24). */
  hourFrom: number;
  hourTo: number;
}

export const CHAT_FILTER_FIELDS = ['from', 'to', 'weekday', 'hourFrom', 'hourTo'] as const;

/** Whole days from one calendar day to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);
}

/**
 * The default period: the twelve months up to today, from the first of the month eleven months
 * back, so every month on the page is whole except the current one.
 */
export function defaultChatPeriod(now: Date): { from: string; to: string } {
  const today = stockholmDateString(now);
  const [year, month] = today.split('-').map(Number);
  const back = year * 12 + (month - 1) - 11;
  return { from: `${Math.floor(back / 12)}-${String((back % 12) + 1).padStart(2, '0')}-01`, to: today };
}

/**
 * The filter, with the period filled in: no start is a year before the end, no end is today (or
 * a year after the start). Longer than CHAT_PERIOD_MAX_DAYS is refused, beside the end.
 */
export function parseChatStatisticsQuery(query: Record<string, string | undefined>, now: Date): ParsedFilter<ChatStatisticsFilter> {
  const parsed = parseFilterQuery(ChatStatisticsQuery, query, CHAT_FILTER_FIELDS, 20);
  if (!parsed.ok) return parsed;
  const q = parsed.filter;
  const fallback = defaultChatPeriod(now);
  const from = q.from ?? (q.to ? addDays(q.to, -364) : fallback.from);
  const to = q.to ?? (q.from ? minDay(addDays(q.from, 364), stockholmDateString(now)) : fallback.to);
  if (from > to) {
    // A start after today with no end given.
    return { ok: false, errors: { to: 'statistics.chat.errors.range' }, values: valuesOfQuery(query) };
  }
  if (daysBetween(from, to) >= CHAT_PERIOD_MAX_DAYS) {
    return { ok: false, errors: { to: 'statistics.chat.errors.tooLong' }, values: valuesOfQuery(query) };
  }
  return { ok: true, filter: { from, to, weekday: q.weekday, hourFrom: q.hourFrom ?? 0, hourTo: q.hourTo ?? 24 } };
}

const minDay = (a: string, b: string) => (a < b ? a : b);

function valuesOfQuery(query: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(CHAT_FILTER_FIELDS.map((k) => [k, String(query[k] ?? '').slice(0, 20)]));
}

/** The filter as the form's values (the whole day span and hour span shown, not left blank). */
export function chatFilterValues(f: ChatStatisticsFilter): Record<string, string> {
  return { from: f.from, to: f.to, weekday: f.weekday ?? '', hourFrom: String(f.hourFrom), hourTo: String(f.hourTo) };
}

/** Whether the filter narrows the days of the week or the hours of the day. */
export function narrowsWeekOrHours(f: ChatStatisticsFilter): boolean {
  return !!f.weekday || f.hourFrom > 0 || f.hourTo < 24;
}

/** The same days a year earlier (29 February becomes the 28th). */
export function yearBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
