import { describe, expect, it } from 'vitest';
import { inactivityStep, type InactivityFacts } from './inactivity';

const T = (s: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, s));
const timings = { inactivityAskMs: 10_000, inactivityCloseMs: 5_000, waitingLimitMs: 60_000 };
const active = (over: Partial<InactivityFacts> = {}): InactivityFacts => ({
  status: 'active',
  lastVisitorAt: T(0),
  assignedAt: T(0),
  lastCounsellorAt: null,
  ...over,
});

describe('the chat inactivity rule', () => {
  it('waits until the visitor has been silent for the ask time, then asks', () => {
    expect(inactivityStep(active(), timings, null, T(4))).toEqual({ action: 'wait', ms: 6_025 });
    expect(inactivityStep(active(), timings, null, T(10))).toEqual({ action: 'ask' });
  });

  it('counts from the latest of the visitor’s message, the assignment and the counsellor’s message', () => {
    expect(inactivityStep(active({ assignedAt: T(5) }), timings, null, T(12)).action).toBe('wait');
    expect(inactivityStep(active({ lastCounsellorAt: T(8) }), timings, null, T(17)).action).toBe('wait');
    expect(inactivityStep(active({ lastCounsellorAt: T(8) }), timings, null, T(18)).action).toBe('ask');
  });

  it('after asking: an answer resets, silence closes after the close time', () => {
    expect(inactivityStep(active({ lastVisitorAt: T(11) }), timings, T(10), T(12))).toEqual({ action: 'answered' });
    expect(inactivityStep(active(), timings, T(10), T(12))).toEqual({ action: 'wait', ms: 3_025 });
    expect(inactivityStep(active(), timings, T(10), T(15))).toEqual({ action: 'close' });
  });

  it('lets a visitor waiting in the queue go only after the long waiting limit; closed needs nothing', () => {
    expect(inactivityStep(active({ status: 'waiting', assignedAt: null }), timings, null, T(59)).action).toBe('wait');
    expect(inactivityStep(active({ status: 'waiting', assignedAt: null }), timings, null, T(60))).toEqual({ action: 'close' });
    expect(inactivityStep(active({ status: 'closed' }), timings, null, T(60))).toEqual({ action: 'none' });
  });
});
