import { describe, expect, it } from 'vitest';
import {
  countsClosedNotice,
  mayDeleteChoice,
  mayRetireChoice,
  needsOutcome,
  queueTally,
  secondsLeftOfDay,
  stockholmHourKey,
  waitSecondsRoundedUp,
} from './chatOutcome';

const at = (iso: string) => new Date(iso);

describe('which conversations ask for an outcome', () => {
  const closed = { status: 'closed' as const, counsellorId: 'maja', assignedAt: at('2026-12-09T10:00:00Z'), outcomeRecordedAt: null };

  it('asks for a closed conversation a counsellor took, until it is recorded', () => {
    expect(needsOutcome(closed)).toBe(true);
    expect(needsOutcome({ ...closed, outcomeRecordedAt: at('2026-12-09T10:30:00Z') })).toBe(false);
  });

  it('does not ask while it runs, nor for one that left the queue unanswered', () => {
    expect(needsOutcome({ ...closed, status: 'active' })).toBe(false);
    expect(needsOutcome({ ...closed, counsellorId: null, assignedAt: null })).toBe(false);
  });
});

describe('the wait, rounded up to whole 10 s', () => {
  const start = at('2026-12-09T10:00:00.000Z');
  it.each([
    [0, 0],
    [1, 10],
    [9_999, 10],
    [10_000, 10],
    [10_001, 20],
    [95_500, 100],
  ])('%i ms counts as %i s', (ms, seconds) => {
    expect(waitSecondsRoundedUp(start, new Date(start.getTime() + ms))).toBe(seconds);
  });

  it('never counts below 0 (clocks a little apart)', () => {
    expect(waitSecondsRoundedUp(start, new Date(start.getTime() - 500))).toBe(0);
  });
});

describe('the Stockholm hour a conversation is counted under', () => {
  it('follows winter and summer time, and the date turns at Stockholm midnight', () => {
    expect(stockholmHourKey(at('2026-01-15T09:30:00Z'))).toEqual({ day: '2026-01-15', hour: 10 });
    expect(stockholmHourKey(at('2026-07-15T09:30:00Z'))).toEqual({ day: '2026-07-15', hour: 11 });
    expect(stockholmHourKey(at('2026-12-31T23:30:00Z'))).toEqual({ day: '2027-01-01', hour: 0 });
    // The night clocks move forward: 01:30 UTC is 03:30 in Stockholm.
    expect(stockholmHourKey(at('2026-03-29T01:30:00Z'))).toEqual({ day: '2026-03-29', hour: 3 });
  });

  it('counts a taken conversation as answered with its wait to being taken, an untaken one as abandoned with its wait to leaving', () => {
    const createdAt = at('2026-12-09T13:59:55Z');
    expect(queueTally({ createdAt, assignedAt: at('2026-12-09T14:01:00Z'), closedAt: at('2026-12-09T14:20:00Z') }, at('2026-12-09T15:00:00Z'))).toEqual({
      day: '2026-12-09',
      hour: 14,
      kind: 'answered',
      waitSeconds: 70,
    });
    expect(queueTally({ createdAt, assignedAt: null, closedAt: at('2026-12-09T14:02:00.500Z') }, at('2026-12-09T15:00:00Z'))).toEqual({
      day: '2026-12-09',
      hour: 14,
      kind: 'abandoned',
      waitSeconds: 130,
    });
  });
});

describe('the closed notice', () => {
  it('counts once per Stockholm day: the browser keeps only the day it was counted', () => {
    const evening = at('2026-12-09T22:30:00Z'); // 23:30 in Stockholm
    expect(countsClosedNotice(undefined, evening)).toBe(true);
    expect(countsClosedNotice('2026-12-09', evening)).toBe(false);
    expect(countsClosedNotice('2026-12-08', evening)).toBe(true);
    expect(countsClosedNotice('2026-12-09', at('2026-12-09T23:00:00Z'))).toBe(true); // midnight in Stockholm
    expect(secondsLeftOfDay(evening)).toBe(30 * 60);
  });
});

describe('choices the admin edits', () => {
  it('deletes only a choice never used, and keeps one in use for a required question', () => {
    expect(mayDeleteChoice({ field: 'topic', retired: false, uses: 0 }, 3)).toBe('ok');
    expect(mayDeleteChoice({ field: 'topic', retired: true, uses: 4 }, 3)).toBe('in-use');
    expect(mayDeleteChoice({ field: 'result', retired: false, uses: 0 }, 1)).toBe('last-active');
    expect(mayDeleteChoice({ field: 'ageBand', retired: false, uses: 0 }, 1)).toBe('ok');
    expect(mayDeleteChoice({ field: 'result', retired: true, uses: 0 }, 1)).toBe('ok');
  });

  it('retires a choice unless it is the last in use of a required question', () => {
    expect(mayRetireChoice({ field: 'topic', retired: false }, 2)).toBe('ok');
    expect(mayRetireChoice({ field: 'topic', retired: false }, 1)).toBe('last-active');
    expect(mayRetireChoice({ field: 'ageBand', retired: false }, 1)).toBe('ok');
    expect(mayRetireChoice({ field: 'topic', retired: true }, 2)).toBe('retired');
  });
});
