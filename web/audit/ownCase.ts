// Opening a case one handles oneself (leader, guide, instructor) is audited too (R11.5): the
// reason is the handling itself, so the staff member is not asked every time.
import type { Context } from 'hono';
import { OWN_CASE_REASON, recordAudit } from '../../lib/audit/auditTrail';
import type { AppEnv } from '../context';

export async function auditOwnCaseOpened(c: Context<AppEnv>, app: { id: string; caseNumber: string }): Promise<void> {
  await recordAudit(c.get('deps').db, {
    actorId: c.get('user')!.id,
    action: 'caseOpened',
    applicationId: app.id,
    caseNumber: app.caseNumber,
    reason: OWN_CASE_REASON,
  });
}
