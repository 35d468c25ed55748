// Where a person lands after logging in, by their grants.
import type { Db } from '../../lib/db';
import { CHAT_CONSOLE_PATH } from '../chat-console/paths';

/**
 * Guides, instructors and chat counsellors work in their own consoles; other staff on the staff
 * page; parents in "Mina ärenden".
 */
export async function landingFor(db: Db, personId: string): Promise<string> {
  const roles = (await db.roleGrant.findMany({ where: { personId, role: { not: 'parent' } }, select: { role: true } })).map((g) => g.role);
  if (roles.some((r) => r !== 'guide' && r !== 'instructor' && r !== 'counsellor')) return '/personal';
  if (roles.includes('instructor')) return '/instruktor';
  if (roles.includes('counsellor')) return CHAT_CONSOLE_PATH;
  return roles.length ? '/guide' : '/mina-arenden';
}

export async function isStaff(db: Db, personId: string): Promise<boolean> {
  return (await db.roleGrant.count({ where: { personId, role: { not: 'parent' } } })) > 0;
}
