// The first administrator of a new installation: the person with that e-mail address (created when
// new) gets a city-wide admin grant unless they have one. Further staff are granted at
// /personal/admin by this administrator.
import { z } from 'zod';
import type { Db } from '../db';

export const AdminEmail = z.string().trim().toLowerCase().pipe(z.email());

export interface FirstAdminResult {
  personCreated: boolean;
  granted: boolean;
}

export async function ensureAdmin(db: Db, email: string): Promise<FirstAdminResult> {
  const address = AdminEmail.parse(email);
  return db.$transaction(async (tx) => {
    const existing = await tx.person.findUnique({ where: { email: address } });
    const person = existing ?? (await tx.person.create({ data: { email: address } }));
    const grant = await tx.roleGrant.findFirst({ where: { personId: person.id, role: 'admin', districtId: null, courseId: null } });
    if (!grant) await tx.roleGrant.create({ data: { personId: person.id, role: 'admin' } });
    return { personCreated: !existing, granted: !grant };
  });
}
