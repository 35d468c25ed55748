// When a chat falls silent (R10.5): the rule the conversation workflow follows, as a pure
// function of the conversation's row, so the workflow only sleeps and acts. An active chat asks a
// visitor who has been silent for `inactivityAskMs` while it was their turn (since their own last
// message, the assignment or the counsellor's last message, whichever is latest), then closes if
// they stay silent `inactivityCloseMs` more; a message from them resets the clock. A visitor left
// waiting in the queue for a very long time (they most likely left) is let go without asking.

/** A waiting visitor silent this long is let go (the queue is not meant to hold people for hours). */
export const CHAT_WAITING_LIMIT_MS = 3 * 60 * 60_000;

export interface InactivityFacts {
  status: 'waiting' | 'active' | 'closed';
  lastVisitorAt: Date;
  assignedAt: Date | null;
  lastCounsellorAt: Date | null;
}

export interface InactivityTimings {
  inactivityAskMs: number;
  inactivityCloseMs: number;
  waitingLimitMs: number;
}

export type InactivityStep =
  /** Nothing to do until `ms` have passed (or something changes). */
  | { action: 'wait'; ms: number }
  /** Post "are you still there?" now. */
  | { action: 'ask' }
  /** The visitor wrote after being asked: the question is answered. */
  | { action: 'answered' }
  /** Close the chat for inactivity now. */
  | { action: 'close' }
  /** Closed already: nothing to watch. */
  | { action: 'none' };

/** Timers fire this much after the instant they wait for, so a re-read never lands just before it. */
const SLACK_MS = 25;

const latest = (...dates: (Date | null)[]) => Math.max(...dates.map((d) => d?.getTime() ?? 0));

export function inactivityStep(facts: InactivityFacts, timings: InactivityTimings, askedAt: Date | null, now: Date): InactivityStep {
  const wait = (dueAt: number): InactivityStep | null => (now.getTime() < dueAt ? { action: 'wait', ms: dueAt - now.getTime() + SLACK_MS } : null);
  if (facts.status === 'closed') return { action: 'none' };
  if (facts.status === 'waiting') return wait(facts.lastVisitorAt.getTime() + timings.waitingLimitMs) ?? { action: 'close' };
  if (askedAt === null) {
    const turnSince = latest(facts.lastVisitorAt, facts.assignedAt, facts.lastCounsellorAt);
    return wait(turnSince + timings.inactivityAskMs) ?? { action: 'ask' };
  }
  if (facts.lastVisitorAt.getTime() > askedAt.getTime()) return { action: 'answered' };
  return wait(askedAt.getTime() + timings.inactivityCloseMs) ?? { action: 'close' };
}
