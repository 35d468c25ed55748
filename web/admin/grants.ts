// The admin's grants page (R8.1, R8.8): staff and their roles, a form to grant one, revoking with
// a confirmation step, and certified professionals as group-leader candidates.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { certifiedCandidates, grantRole, GRANTABLE_ROLES, staffWithGrants } from '../../lib/admin/grants';
import type { AppEnv } from '../context';
import { render } from '../render';
import { flashCode, formValues } from './form';

export const GRANTS_PAGE = '/personal/admin/behorigheter';

async function showGrants(c: Context<AppEnv>, values: Record<string, string> = {}, errors: Record<string, string> = {}) {
  const db = c.get('deps').db;
  const page = Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1);
  const [staff, districts, courses, candidates] = await Promise.all([
    staffWithGrants(db, page),
    db.district.findMany({ orderBy: { name: 'asc' } }),
    db.course.findMany({ orderBy: [{ kind: 'asc' }, { title: 'asc' }], select: { id: true, title: true, kind: true } }),
    certifiedCandidates(db),
  ]);
  const flash = flashCode(c.req.query('klart'), ['granted', 'revoked'] as const);
  return render(
    c,
    '/admin/views/grants',
    { title: c.get('t')('admin.grants.title'), staff, page, districts, courses, candidates, roles: GRANTABLE_ROLES, values, errors, flash },
    Object.keys(errors).length ? 422 : 200,
  );
}

export function grantRoutes() {
  const app = new Hono<AppEnv>();

  app.get(GRANTS_PAGE, (c) => showGrants(c));

  app.post(GRANTS_PAGE, async (c) => {
    const values = formValues(await c.req.parseBody(), ['email', 'role', 'districtId', 'courseId']);
    const result = await grantRole(c.get('deps').db, values);
    if (!result.ok) return showGrants(c, values, result.errors);
    return c.redirect(`${GRANTS_PAGE}?klart=granted`, 303);
  });

  // Without JavaScript the revoke button leads to a confirmation page; the confirmed form revokes.
  app.post(`${GRANTS_PAGE}/:id/ta-bort`, async (c) => {
    const id = c.req.param('id');
    const db = c.get('deps').db;
    const grant = z.uuid().safeParse(id).success
      ? await db.roleGrant.findUnique({ where: { id }, include: { person: true, district: true, course: true } })
      : null;
    if (!grant || grant.role === 'parent') throw new HTTPException(404);
    const form = await c.req.parseBody();
    if (form.confirm !== 'yes') return render(c, '/admin/views/revokeConfirm', { title: c.get('t')('admin.grants.revokeTitle'), grant });
    await db.roleGrant.delete({ where: { id: grant.id } });
    return c.redirect(`${GRANTS_PAGE}?klart=revoked`, 303);
  });

  return app;
}
