// Which case statuses are final: the case's process has ended (withdrawn, completed, not
// completed, closed; for enrolments also no consent or consent declined). Nothing more will happen.
export const CLOSED_STATUSES = ['withdrawn', 'completed', 'notCompleted', 'closed', 'consentDeclined', 'noConsent'] as const;

export function isClosedStatus(status: string): boolean {
  return (CLOSED_STATUSES as readonly string[]).includes(status);
}
