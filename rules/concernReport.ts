// A report of concern in the receiving staff's intake list (issue 16): new → in progress (someone
// has taken it) → handled (passed on to the district's intake for children and young people).
// The statuses are the database enum ConcernStatus; this is the one list of them and their steps.

export const CONCERN_STATUSES = ['new', 'inProgress', 'handled'] as const;
export type ConcernStatus = (typeof CONCERN_STATUSES)[number];

/** What a receiver can do with a report in each status, and where it then is. */
export const CONCERN_STEPS = {
  take: { from: ['new'], to: 'inProgress' },
  handle: { from: ['new', 'inProgress'], to: 'handled' },
  reopen: { from: ['handled'], to: 'inProgress' },
} as const satisfies Record<string, { from: readonly ConcernStatus[]; to: ConcernStatus }>;

export type ConcernStep = keyof typeof CONCERN_STEPS;
export const CONCERN_STEP_NAMES = Object.keys(CONCERN_STEPS) as ConcernStep[];

export function isConcernStatus(v: unknown): v is ConcernStatus {
  return typeof v === 'string' && (CONCERN_STATUSES as readonly string[]).includes(v);
}

export function canTake(step: ConcernStep, status: ConcernStatus): boolean {
  return (CONCERN_STEPS[step].from as readonly ConcernStatus[]).includes(status);
}

/** The steps offered for a report in this status, in the order the page shows them. */
export function stepsFor(status: ConcernStatus): ConcernStep[] {
  return CONCERN_STEP_NAMES.filter((s) => canTake(s, status));
}
