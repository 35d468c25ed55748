// Who an e-legitimation says the person is (issue 15): the personnummer from the ID token, and the
// person it belongs to. A personnummer proved by e-ID is stored as the forms store it (lib/validation
// /personnummer) and marked proved: the same person next time, and the forms show it locked.
import type { Db } from '../db';
import { parsePersonnummer } from '../validation/personnummer';

type Claims = Record<string, unknown>;

/** The claim's personnummer as "YYYYMMDD-NNNN", or null when it is missing or not a valid one. */
export function personnummerFromClaims(claims: Claims, claimName: string): string | null {
  const raw = claims[claimName];
  if (typeof raw !== 'string') return null;
  const parsed = parsePersonnummer(raw);
  return parsed.ok ? parsed.value : null;
}

export function nameFromClaims(claims: Claims): string | null {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : null);
  const given = text(claims.given_name);
  const family = text(claims.family_name);
  return text(claims.name) ?? ([given, family].filter(Boolean).join(' ') || null);
}

/** The person whose personnummer an e-legitimation proved before. */
export async function findEidPerson(db: Db, personnummer: string): Promise<{ id: string } | null> {
  return db.person.findFirst({ where: { personnummer, personnummerVerifiedAt: { not: null } }, select: { id: true } });
}

export type BindResult = { ok: true } | { ok: false; code: 'taken' | 'other-personnummer' };

/**
 * Binds a proved personnummer to the person who also proved their e-mail address. Refused when the
 * number is another person's (typed in their application: a case worker sorts that out) or the
 * person already proved another number.
 */
export async function bindPersonnummer(db: Db, personId: string, personnummer: string, name: string | null): Promise<BindResult> {
  const [holder, person] = await Promise.all([
    db.person.findUnique({ where: { personnummer }, select: { id: true } }),
    db.person.findUniqueOrThrow({ where: { id: personId }, select: { name: true, personnummer: true, personnummerVerifiedAt: true } }),
  ]);
  if (holder && holder.id !== personId) return { ok: false, code: 'taken' };
  if (person.personnummerVerifiedAt && person.personnummer !== personnummer) return { ok: false, code: 'other-personnummer' };
  // Only while the number is still free or this person's, and no other number was proved meanwhile.
  const { count } = await db.person.updateMany({
    where: { id: personId, OR: [{ personnummerVerifiedAt: null }, { personnummer }] },
    data: { personnummer, personnummerVerifiedAt: person.personnummerVerifiedAt ?? new Date(), name: person.name ?? name },
  }).catch((err: unknown) => {
    if ((err as { code?: string }).code === 'P2002') return { count: -1 };
    throw err;
  });
  if (count === -1) return { ok: false, code: 'taken' };
  return count === 1 ? { ok: true } : { ok: false, code: 'other-personnummer' };
}

/** The personnummer the person proved with e-ID, if any: the forms lock it. */
export async function provedPersonnummer(db: Db, personId: string): Promise<string | null> {
  const person = await db.person.findUnique({ where: { id: personId }, select: { personnummer: true, personnummerVerifiedAt: true } });
  return person?.personnummerVerifiedAt ? person.personnummer : null;
}
