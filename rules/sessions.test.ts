import { describe, expect, it } from 'vitest';
import { canBookRoom, canMarkAttendance, canScheduleSession, overlaps } from './sessions';

const at = (iso: string) => new Date(iso);
const span = (from: string, to: string) => ({ startsAt: at(from), endsAt: at(to) });

describe('session and room rules', () => {
  it('sees overlap as half-open spans', () => {
    expect(overlaps(span('2026-12-10T17:30Z', '2026-12-10T20:00Z'), span('2026-12-10T18:00Z', '2026-12-10T20:00Z'))).toBe(true);
    expect(overlaps(span('2026-12-10T16:00Z', '2026-12-10T18:00Z'), span('2026-12-10T18:00Z', '2026-12-10T20:00Z'))).toBe(false);
  });

  it('refuses a room another session holds at an overlapping time', () => {
    const other = span('2026-12-10T17:30Z', '2026-12-10T20:00Z');
    expect(canBookRoom(span('2026-12-10T18:00Z', '2026-12-10T20:00Z'), [other])).toEqual({ ok: false, code: 'room-booked' });
    expect(canBookRoom(span('2026-12-10T20:00Z', '2026-12-10T21:00Z'), [other]).ok).toBe(true);
  });

  it('takes attendance only once the session has started', () => {
    const now = at('2026-12-07T10:00Z');
    expect(canMarkAttendance({ startsAt: at('2026-12-28T17:00Z') }, now)).toEqual({ ok: false, code: 'session-not-started' });
    expect(canMarkAttendance({ startsAt: at('2026-12-07T09:00Z') }, now).ok).toBe(true);
  });

  it('never moves a session into the past or to an end before its start', () => {
    const now = at('2026-12-07T10:00Z');
    expect(canScheduleSession(span('2026-12-07T02:00Z', '2026-12-07T04:00Z'), now)).toEqual({ ok: false, code: 'session-in-past' });
    expect(canScheduleSession(span('2026-12-08T18:00Z', '2026-12-08T17:00Z'), now)).toEqual({ ok: false, code: 'end-before-start' });
    expect(canScheduleSession(span('2026-12-08T17:00Z', '2026-12-08T19:00Z'), now).ok).toBe(true);
  });
});
