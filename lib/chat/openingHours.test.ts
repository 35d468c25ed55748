import { describe, expect, it } from 'vitest';
import { stockholmInstant } from '../time';
import { DEFAULT_CHAT_SETTINGS, type ChatSettings } from './chatSettings';
import { openingState } from './openingHours';

const settings: ChatSettings = {
  ...DEFAULT_CHAT_SETTINGS,
  weekly: { mon: [{ from: '10:00', to: '16:00' }], tue: [{ from: '10:00', to: '16:00' }], wed: [], thu: [], fri: [], sat: [], sun: [] },
  exceptions: [{ date: '2026-12-01', hours: [], note: 'Stängt' }],
};

describe('chat opening hours', () => {
  it('is open inside a range and says when it closes (Stockholm time)', () => {
    const state = openingState(settings, stockholmInstant('2026-11-23', '12:00')); // a Monday
    expect(state).toEqual({ open: true, closesAt: stockholmInstant('2026-11-23', '16:00') });
  });

  it('before opening, names today’s opening; after closing, the next day’s', () => {
    expect(openingState(settings, stockholmInstant('2026-11-23', '08:00'))).toEqual({ open: false, opensAt: stockholmInstant('2026-11-23', '10:00') });
    expect(openingState(settings, stockholmInstant('2026-11-23', '16:00'))).toEqual({ open: false, opensAt: stockholmInstant('2026-11-24', '10:00') });
  });

  it('a holiday exception closes a weekday; the next opening is found past it', () => {
    // 2026-11-30 is a Monday; Tuesday 2026-12-01 is closed by the exception; next is Monday 7 Dec.
    expect(openingState(settings, stockholmInstant('2026-11-30', '17:00'))).toEqual({ open: false, opensAt: stockholmInstant('2026-12-07', '10:00') });
  });

  it('never open: no next opening', () => {
    const closed = { ...settings, weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
    expect(openingState(closed, new Date())).toEqual({ open: false, opensAt: null });
  });
});
