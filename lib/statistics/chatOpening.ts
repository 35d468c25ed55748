// How long the chat was open in the filter's days and hours (issue 17: "when they start, by weekday
// and hour, against the opening hours"), from the opening hours social services set (R10.2): each
// day's weekly hours, or the dated exception that replaces them. The settings keep only the
// current weekly hours, so a past period is measured against today's week (and its exceptions).
import { addDays } from '../time';
import { hoursOn } from '../chat/openingHours';
import { WEEKDAYS, type ChatSettings } from '../chat/chatSettings';
import type { ChatStatisticsFilter } from './chatFilters';

export interface OpenTime {
  /** Days of the period the filter takes (one weekday: only those). */
  days: number;
  /** Per weekday (0 = Monday): the days of the period that fall on it, and the minutes open within the filter's hours. */
  weekdayDays: number[];
  weekdayMinutes: number[];
  /** Per hour of the day (0–23): the minutes open in that hour, summed over the days. */
  hourMinutes: number[];
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Monday 0 … Sunday 6 of a calendar day. */
export function weekdayIndex(date: string): number {
  return (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;
}

export function openTime(settings: Pick<ChatSettings, 'weekly' | 'exceptions'>, f: ChatStatisticsFilter): OpenTime {
  const out: OpenTime = { days: 0, weekdayDays: Array(7).fill(0), weekdayMinutes: Array(7).fill(0), hourMinutes: Array(24).fill(0) };
  const only = f.weekday ? WEEKDAYS.indexOf(f.weekday) : null;
  for (let date = f.from; date <= f.to; date = addDays(date, 1)) {
    const weekday = weekdayIndex(date);
    if (only !== null && weekday !== only) continue;
    out.days += 1;
    out.weekdayDays[weekday] += 1;
    const ranges = hoursOn(settings, date).map((r) => [toMinutes(r.from), toMinutes(r.to)]);
    for (let h = f.hourFrom; h < f.hourTo; h++) {
      const covered = ranges.reduce((sum, [from, to]) => sum + Math.max(0, Math.min(to, (h + 1) * 60) - Math.max(from, h * 60)), 0);
      // Ranges the admin let overlap count once.
      const minutes = Math.min(60, covered);
      out.hourMinutes[h] += minutes;
      out.weekdayMinutes[weekday] += minutes;
    }
  }
  return out;
}
