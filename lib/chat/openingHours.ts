// Is the chat open now, and if not, when does it open (R10.2)? Wall-clock hours in Stockholm; a
// dated exception (a holiday, a shortened day) replaces that day's weekly hours.
import { addDays, stockholmDateString, stockholmInstant } from '../time';
import { WEEKDAYS, type ChatSettings, type TimeRange } from './chatSettings';

export type OpeningState = { open: true; closesAt: Date } | { open: false; opensAt: Date | null };

/** How far ahead to look for the next opening (a long holiday closure still finds it). */
const LOOKAHEAD_DAYS = 60;

export function hoursOn(settings: Pick<ChatSettings, 'weekly' | 'exceptions'>, date: string): TimeRange[] {
  const exception = settings.exceptions.find((e) => e.date === date);
  if (exception) return exception.hours;
  const weekday = WEEKDAYS[(new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7];
  return settings.weekly[weekday];
}

export function openingState(settings: Pick<ChatSettings, 'weekly' | 'exceptions'>, now: Date = new Date()): OpeningState {
  const today = stockholmDateString(now);
  for (let day = 0; day <= LOOKAHEAD_DAYS; day++) {
    const date = addDays(today, day);
    const ranges = [...hoursOn(settings, date)].sort((a, b) => a.from.localeCompare(b.from));
    for (const range of ranges) {
      const from = stockholmInstant(date, range.from);
      const to = stockholmInstant(date, range.to);
      if (now >= from && now < to) return { open: true, closesAt: to };
      if (now < from) return { open: false, opensAt: from };
    }
  }
  return { open: false, opensAt: null };
}
