// Dates are stored in UTC and shown in Stockholm time.
import { intlLocale } from './i18n';

export const TIME_ZONE = 'Europe/Stockholm';

/** The UTC instant of a wall-clock time in Stockholm (handles summer time). */
export function stockholmInstant(date: string, time: string): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const offsetMs = zoneOffsetMs(guess);
  const first = new Date(guess.getTime() - offsetMs);
  // Near a DST switch the offset of the result can differ from the guess's; correct once.
  return new Date(guess.getTime() - zoneOffsetMs(first));
}

// Intl formatters are costly to build (opening hours and dates are computed on hot paths): one each.
const ZONE_PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const STOCKHOLM_DATE = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE });

function zoneOffsetMs(at: Date): number {
  const parts = ZONE_PARTS.formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** YYYY-MM-DD of an instant in Stockholm. */
export function stockholmDateString(at: Date): string {
  return STOCKHOLM_DATE.format(at);
}

/** The hour (0–23) of an instant on Stockholm's clock. */
export function stockholmHour(at: Date): number {
  return Number(ZONE_PARTS.formatToParts(at).find((p) => p.type === 'hour')?.value);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// Intl formatters are costly to build and safe to share: one per language and style.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: string, style: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}:${style}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(intlLocale(lang), { timeZone: TIME_ZONE, ...options })));
  return f;
}

export function formatDate(at: Date | string, lang: string): string {
  return formatter(lang, 'date', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(at));
}

export function formatTime(at: Date | string, lang: string): string {
  return formatter(lang, 'time', { hour: '2-digit', minute: '2-digit' }).format(new Date(at));
}

export function formatDateTime(at: Date | string, lang: string): string {
  return formatter(lang, 'dateTime', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
}
