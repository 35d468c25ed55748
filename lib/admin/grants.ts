// Staff role grants as the admin hands them out (R8.1): who may do what, and where. A grant's scope
// must fit its role: a group leader works in a district (optionally one group course), a guide on
// a web course, an instructor on a training; admin, central staff and chat counsellors are city-wide.
import { z } from 'zod';
import type { Db } from '../db';

export const GRANTABLE_ROLES = ['groupLeader', 'guide', 'instructor', 'admin', 'central', 'counsellor'] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

const optionalUuid = z
  .string()
  .trim()
  .transform((v) => v || null)
  .pipe(z.uuid('errors.invalid').nullable());

export const GrantForm = z.object({
  email: z.string().trim().toLowerCase().min(1, 'errors.required').pipe(z.email('errors.email')),
  role: z.enum(GRANTABLE_ROLES, 'admin.grants.errors.role'),
  districtId: optionalUuid,
  courseId: optionalUuid,
});
export type GrantInput = z.infer<typeof GrantForm>;

export type GrantResult = { ok: true } | { ok: false; errors: Record<string, string> };

/** Which kind of course each role may be scoped to; null = no course scope allowed. */
const COURSE_KIND: Record<GrantableRole, 'groupCourse' | 'webCourse' | 'training' | null> = {
  groupLeader: 'groupCourse',
  guide: 'webCourse',
  instructor: 'training',
  admin: null,
  central: null,
  counsellor: null,
};

async function scopeErrors(db: Db, g: GrantInput): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  if (g.districtId && !(await db.district.findUnique({ where: { id: g.districtId } }))) errors.districtId = 'errors.invalid';
  const course = g.courseId ? await db.course.findUnique({ where: { id: g.courseId } }) : null;
  if (g.courseId && !course) errors.courseId = 'errors.invalid';
  if (g.role === 'groupLeader' && !g.districtId) errors.districtId = 'admin.grants.errors.districtRequired';
  if (g.role !== 'groupLeader' && g.districtId) errors.districtId = 'admin.grants.errors.noDistrict';
  if ((g.role === 'guide' || g.role === 'instructor') && !g.courseId) errors.courseId = `admin.grants.errors.courseRequired.${g.role}`;
  const kind = COURSE_KIND[g.role];
  if (course && kind === null) errors.courseId = 'admin.grants.errors.noCourse';
  else if (course && course.kind !== kind) errors.courseId = `admin.grants.errors.courseKind.${g.role}`;
  else if (course && g.role === 'groupLeader' && g.districtId && course.districtId !== g.districtId) errors.courseId = 'admin.grants.errors.courseDistrict';
  return errors;
}

/** Validates and stores a grant; the person is created when the e-mail is new. */
export async function grantRole(db: Db, raw: Record<string, unknown>): Promise<GrantResult> {
  const parsed = GrantForm.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'email');
      errors[field] ??= issue.message.startsWith('errors.') || issue.message.startsWith('admin.') ? issue.message : 'errors.invalid';
    }
    return { ok: false, errors };
  }
  const g = parsed.data;
  const errors = await scopeErrors(db, g);
  if (Object.keys(errors).length) return { ok: false, errors };
  const person = await db.person.findUnique({ where: { email: g.email } });
  if (person) {
    const same = await db.roleGrant.findFirst({ where: { personId: person.id, role: g.role, districtId: g.districtId, courseId: g.courseId } });
    if (same) return { ok: false, errors: { role: 'admin.grants.errors.duplicate' } };
  }
  const personId = person?.id ?? (await db.person.create({ data: { email: g.email } })).id;
  await db.roleGrant.create({ data: { personId, role: g.role, districtId: g.districtId, courseId: g.courseId } });
  return { ok: true };
}

/** Staff (anyone with a non-parent grant) and their grants, one page at a time. */
export async function staffWithGrants(db: Db, page: number, pageSize = 25) {
  const where = { grants: { some: { role: { not: 'parent' as const } } } };
  const [total, people] = await Promise.all([
    db.person.count({ where }),
    db.person.findMany({
      where,
      orderBy: { email: 'asc' },
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        email: true,
        name: true,
        grants: {
          where: { role: { not: 'parent' } },
          orderBy: { createdAt: 'asc' },
          select: { id: true, role: true, district: { select: { name: true } }, course: { select: { title: true } } },
        },
      },
    }),
  ]);
  return { total, people, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

/**
 * Certified professionals (R8.8): holders of a certificate who are not yet group leaders, the
 * admin's candidates for a district grant.
 */
export async function certifiedCandidates(db: Db) {
  const certs = await db.certificate.findMany({
    where: { application: { person: { grants: { none: { role: 'groupLeader' } } } } },
    orderBy: { issuedAt: 'desc' },
    take: 50,
    select: { number: true, holderName: true, trainingTitle: true, application: { select: { person: { select: { email: true } } } } },
  });
  return certs.map((c) => ({ number: c.number, name: c.holderName, training: c.trainingTitle, email: c.application.person.email }));
}
