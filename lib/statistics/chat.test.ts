// The chat statistics' pure parts: the filter and its default period, ISO weeks as PostgreSQL
// writes them, the 90th percentile of counted waits, open hours from the opening hours, and the
// second hidden outcome row.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_SETTINGS } from '../chat/chatSettings';
import { isoWeekKey, percentileOfBins, periodKeys, withSecondHidden, type ChatOutcomeRow } from './chat';
import { defaultChatPeriod, parseChatStatisticsQuery, yearBefore } from './chatFilters';
import { openTime } from './chatOpening';

const NOW = new Date('2026-12-07T10:00:00Z');

describe('the chat filter', () => {
  it('shows the twelve months up to today by default, all weekdays and hours', () => {
    expect(defaultChatPeriod(NOW)).toEqual({ from: '2026-01-01', to: '2026-12-07' });
    expect(defaultChatPeriod(new Date('2027-01-15T10:00:00Z'))).toEqual({ from: '2026-02-01', to: '2027-01-15' });
    expect(parseChatStatisticsQuery({ from: '', to: '', weekday: '', hourFrom: '', hourTo: '' }, NOW)).toEqual({
      ok: true,
      filter: { from: '2026-01-01', to: '2026-12-07', weekday: undefined, hourFrom: 0, hourTo: 24 },
    });
  });

  it('fills in a year from the one end given', () => {
    expect(parseChatStatisticsQuery({ to: '2026-06-30' }, NOW)).toMatchObject({ ok: true, filter: { from: '2025-07-01', to: '2026-06-30' } });
    expect(parseChatStatisticsQuery({ from: '2026-06-01' }, NOW)).toMatchObject({ ok: true, filter: { from: '2026-06-01', to: '2026-12-07' } });
    expect(parseChatStatisticsQuery({ from: '2025-01-01' }, NOW)).toMatchObject({ ok: true, filter: { from: '2025-01-01', to: '2025-12-31' } });
  });

  it('names each bad field with a translation key', () => {
    expect(parseChatStatisticsQuery({ from: '2026-13-01', weekday: 'fredag', hourFrom: '7.5', hourTo: '25' }, NOW)).toEqual({
      ok: false,
      errors: {
        from: 'statistics.chat.errors.date',
        weekday: 'statistics.chat.errors.weekday',
        hourFrom: 'statistics.chat.errors.hourFrom',
        hourTo: 'statistics.chat.errors.hourTo',
      },
      values: { from: '2026-13-01', to: '', weekday: 'fredag', hourFrom: '7.5', hourTo: '25' },
    });
    expect(parseChatStatisticsQuery({ from: '2027-01-01' }, NOW)).toMatchObject({ ok: false, errors: { to: 'statistics.chat.errors.range' } });
    // Two years at most: 731 days with both ends.
    expect(parseChatStatisticsQuery({ from: '2024-01-01', to: '2025-12-31' }, NOW).ok).toBe(true);
    expect(parseChatStatisticsQuery({ from: '2024-01-01', to: '2026-01-01' }, NOW)).toMatchObject({ ok: false, errors: { to: 'statistics.chat.errors.tooLong' } });
  });

  it('takes the same days a year before, 29 February as the 28th', () => {
    expect(yearBefore('2026-03-01')).toBe('2025-03-01');
    expect(yearBefore('2028-02-29')).toBe('2027-02-28');
  });
});

describe('weeks and months of a period', () => {
  it('writes ISO weeks as PostgreSQL does, across the turn of the year', () => {
    expect(isoWeekKey('2026-12-31')).toBe('2026-W53');
    expect(isoWeekKey('2027-01-03')).toBe('2026-W53');
    expect(isoWeekKey('2027-01-04')).toBe('2027-W01');
    expect(isoWeekKey('2024-12-30')).toBe('2025-W01');
    expect(periodKeys('2026-12-28', '2027-01-05')).toEqual({ months: ['2026-12', '2027-01'], weeks: ['2026-W53', '2027-W01'] });
  });
});

describe('percentileOfBins', () => {
  it('is the value at place ⌈p·n⌉ of the counted values', () => {
    // 10 20 30 30 40 60 300: the 90th percentile is the 7th (⌈6.3⌉).
    const bins = [{ value: 300, count: 1 }, { value: 30, count: 2 }, { value: 10, count: 1 }, { value: 20, count: 1 }, { value: 40, count: 1 }, { value: 60, count: 1 }];
    expect(percentileOfBins(bins, 0.9)).toBe(300);
    // Ten values: the 9th.
    expect(percentileOfBins([{ value: 10, count: 8 }, { value: 20, count: 1 }, { value: 90, count: 1 }], 0.9)).toBe(20);
    expect(percentileOfBins([{ value: 10, count: 0 }], 0.9)).toBeNull();
  });
});

describe('openTime', () => {
  it('counts the open minutes per hour and weekday, with exceptions, overlapping ranges once', () => {
    const settings = {
      weekly: { ...DEFAULT_CHAT_SETTINGS.weekly, mon: [{ from: '10:00', to: '11:30' }, { from: '11:00', to: '12:00' }] },
      exceptions: [{ date: '2026-03-03', hours: [{ from: '09:15', to: '10:00' }], note: '' }],
    };
    // Monday 2 and Tuesday 3 March 2026.
    const open = openTime(settings, { from: '2026-03-02', to: '2026-03-03', hourFrom: 9, hourTo: 12 });
    expect(open.days).toBe(2);
    expect(open.hourMinutes.slice(9, 12)).toEqual([45, 60, 60]);
    expect(open.weekdayMinutes.slice(0, 2)).toEqual([120, 45]);
  });
});

describe('withSecondHidden', () => {
  const row = (id: string, n: number, hidden = false): ChatOutcomeRow => ({ id, label: id, position: 0, earlySupport: false, retired: false, n: hidden ? null : n, hidden });
  it('hides the smallest shown row when one row alone is hidden', () => {
    const rows = withSecondHidden([row('a', 9), row('b', 6), row('c', 0), row('d', 2, true)]);
    expect(rows.map((r) => r.hidden)).toEqual([false, true, false, true]);
    // Two hidden already: neither can be told from the total.
    expect(withSecondHidden([row('a', 9), row('b', 2, true), row('c', 3, true)]).map((r) => r.hidden)).toEqual([false, true, true]);
  });
});
