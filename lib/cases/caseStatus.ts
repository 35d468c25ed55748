// Which case statuses are final: the case's process has ended (withdrawn, completed, not
// completed, closed; for enrolments also no consent or consent declined). Nothing more will happen.
export const CLOSED_STATUSES = ['withdrawn', 'completed', 'notCompleted', 'closed', 'consentDeclined', 'noConsent'] as const;

export function isClosedStatus(status: string): boolean {
  return (CLOSED_STATUSES as readonly string[]).includes(status);
}

/**
 * The statuses in which an application holds its place: a person has at most one such application
 * per course (the partial unique index application_one_active_idx, issue 14). Parents' cases:
 * submitted, admitted, queued, offered; enrolments: awaitingConsent, consented, queued, admitted.
 */
export const ACTIVE_STATUSES = ['submitted', 'admitted', 'queued', 'offered', 'awaitingConsent', 'consented'] as const;
