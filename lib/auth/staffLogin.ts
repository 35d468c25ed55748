// Staff log in through the city's identity provider (issue 15): the provider says who they are by
// e-mail; what they may do still comes from their grants in Komet.
import type { Db } from '../db';

export type StaffMatch = { ok: true; personId: string } | { ok: false; code: 'noEmail' | 'noGrant' };

export function emailFromClaims(claims: Record<string, unknown>, claimName: string): string | null {
  const raw = claims[claimName];
  // A provider that says the address is unverified is not trusted with it.
  if (typeof raw !== 'string' || claims.email_verified === false) return null;
  const email = raw.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(email) && email.length <= 254 ? email : null;
}

export async function matchStaff(db: Db, email: string | null): Promise<StaffMatch> {
  if (!email) return { ok: false, code: 'noEmail' };
  const person = await db.person.findUnique({
    where: { email },
    select: { id: true, grants: { where: { role: { not: 'parent' } }, select: { role: true }, take: 1 } },
  });
  if (!person || !person.grants.length) return { ok: false, code: 'noGrant' };
  return { ok: true, personId: person.id };
}
