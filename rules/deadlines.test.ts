import { describe, expect, it } from 'vitest';
import { canChangeDeadline } from './deadlines';

describe('changing a deadline', () => {
  const now = Date.parse('2026-12-07T10:00:00Z');
  it('moves a running deadline to a future date', () => {
    expect(canChangeDeadline({ caseClosed: false, current: '2026-12-09T10:00:00Z', next: '2026-12-20T10:00:00Z', now }).ok).toBe(true);
    expect(canChangeDeadline({ caseClosed: false, current: '2026-12-09T10:00:00Z', next: '2026-12-08T10:00:00Z', now }).ok).toBe(true);
  });
  it('refuses a past date, a closed case and a case without that deadline', () => {
    expect(canChangeDeadline({ caseClosed: false, current: '2026-12-09T10:00:00Z', next: '2026-12-06T10:00:00Z', now })).toEqual({ ok: false, code: 'deadline-in-past' });
    expect(canChangeDeadline({ caseClosed: true, current: '2026-12-09T10:00:00Z', next: '2026-12-20T10:00:00Z', now })).toEqual({ ok: false, code: 'case-closed' });
    expect(canChangeDeadline({ caseClosed: false, current: null, next: '2026-12-20T10:00:00Z', now })).toEqual({ ok: false, code: 'no-deadline' });
    expect(canChangeDeadline({ caseClosed: false, current: '2026-12-09T10:00:00Z', next: 'nonsense', now })).toEqual({ ok: false, code: 'deadline-in-past' });
  });
});
