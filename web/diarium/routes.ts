// The diarium (R9.3): central staff and the administrator search every registered case by its
// number, dates, status, district and kind; a search by person needs a stated reason and writes
// one audit entry, its terms only ever in a POST body and the audit table (R11.5). A case opens
// read-only behind the reason gate; a closed one exports as its archive package (a zip with the
// SHA-256 shown, sent as a header and offered as a sidecar).
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { recordAudit, reasonText } from '../../lib/audit/auditTrail';
import { ensureArchivePackage } from '../../lib/archive/archivePackage';
import { isClosedStatus } from '../../lib/cases/caseStatus';
import { loadArchiveCase } from '../../lib/archive/caseRecord';
import {
  DIARIUM_KINDS,
  DIARIUM_STATUSES,
  diariumQueryString,
  loadDiariumPage,
  NO_DISTRICT,
  parseDiariumQuery,
  PersonSearchForm,
  searchCasesByPerson,
} from '../../lib/archive/diarium';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import type { AppEnv } from '../context';
import { translator } from '../../lib/i18n';
import { PASS_PARAM, requireStatedReason } from '../audit/reasonGate';
import { render } from '../render';
import { mayActOnCase } from '../../lib/policy';
import { requireArea } from '../security/guards';

/** Recorded with each download; the reason itself was stated when the case was opened. */
export const EXPORT_REASON = 'archive: arkivpaket hämtat i diariet (skälet angavs när ärendet öppnades)';

const casePath = (caseNumber: string) => `/personal/diarium/${caseNumber}`;
const withPass = (path: string, pass: string | undefined) => `${path}?${PASS_PARAM}=${encodeURIComponent(pass ?? '')}`;

async function districts(c: Context<AppEnv>) {
  return c.get('deps').db.district.findMany({ select: { slug: true, name: true }, orderBy: { name: 'asc' } });
}

/** The filter's choices, shared by the search page and the person search page. */
async function formOptions(c: Context<AppEnv>) {
  const t = c.get('t');
  return {
    statusOptions: DIARIUM_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
    kindOptions: DIARIUM_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) })),
    districtOptions: [...(await districts(c)).map((d) => ({ value: d.slug, label: d.name })), { value: NO_DISTRICT, label: t('diarium.search.noDistrict') }],
  };
}

/** The case (by a well-formed number) if the policy opens the registry's record of it to the user, or 404. */
async function caseOf(c: Context<AppEnv>) {
  const caseNumber = c.req.param('caseNumber') ?? '';
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) throw new HTTPException(404);
  const app = await c.get('deps').db.application.findUnique({
    where: { caseNumber },
    select: { id: true, caseNumber: true, status: true, erasedAt: true, personId: true, guideId: true, course: { select: { id: true, districtId: true } } },
  });
  if (!app || !mayActOnCase(c.get('user')!, app, 'registry')) throw new HTTPException(404);
  return app;
}

async function packageInfo(c: Context<AppEnv>, applicationId: string) {
  const pkg = await c.get('deps').db.archivePackage.findUnique({
    where: { applicationId },
    select: { fileName: true, sha256: true, sizeBytes: true, createdAt: true, createdBy: true },
  });
  if (!pkg) return null;
  const by = pkg.createdBy === 'system' ? null : await c.get('deps').db.person.findUnique({ where: { id: pkg.createdBy }, select: { name: true, email: true } });
  return { ...pkg, byName: pkg.createdBy === 'system' ? null : (by?.name ?? by?.email ?? null) };
}

function maskPersonnummer(pnr: string | null): string | null {
  return pnr ? `${pnr.slice(0, 8)}-****` : null;
}

export function diariumRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/personal/diarium', requireArea('diarium'));
  app.use('/personal/diarium/*', requireArea('diarium'));

  app.get('/personal/diarium', async (c) => {
    const parsed = parseDiariumQuery(c.req.query());
    const data = parsed.ok
      ? { values: parsed.filter, query: diariumQueryString(parsed.filter), list: await loadDiariumPage(c.get('deps').db, parsed.filter), errors: {} }
      : { values: parsed.values, query: '', list: null, errors: parsed.errors };
    // htmx swaps only 2xx answers, so it gets the messages as 200; a plain browser 400.
    const status = parsed.ok || c.req.header('hx-request') === 'true' ? 200 : 400;
    const view = c.req.header('hx-target') === 'diarium-results' ? '/diarium/views/results' : '/diarium/views/search';
    return render(c, view, { title: c.get('t')('diarium.title'), ...(await formOptions(c)), person: { errors: {}, values: {} }, ...data }, status);
  });

  // The person search: POST only, so the terms never reach an address, a log or the history.
  app.post('/personal/diarium/personsok', async (c) => {
    const form = await c.req.parseBody();
    const raw = { term: form.term, purpose: form.purpose, detail: form.detail };
    const parsed = PersonSearchForm.safeParse(raw);
    const t = c.get('t');
    if (!parsed.success) {
      const values = { term: String(form.term ?? ''), purpose: String(form.purpose ?? ''), detail: String(form.detail ?? '') };
      return render(c, '/diarium/views/personSearch', { title: t('diarium.person.title'), errors: fieldErrors(parsed.error), values, result: null }, 422);
    }
    const { term, purpose, detail } = parsed.data;
    await recordAudit(c.get('deps').db, {
      actorId: c.get('user')!.id,
      action: 'personSearch',
      reason: reasonText({ purpose, detail }),
      searchTerms: term,
    });
    const result = await searchCasesByPerson(c.get('deps').db, term);
    // The form comes back empty: a new search is a new reason and a new audit entry.
    return render(c, '/diarium/views/personSearch', { title: t('diarium.person.title'), errors: {}, values: {}, result });
  });

  app.get('/personal/diarium/:caseNumber', async (c) => {
    const found = await caseOf(c);
    const gate = await requireStatedReason(c, { applicationId: found.id, caseNumber: found.caseNumber, returnTo: casePath(found.caseNumber) });
    if (gate) return gate;
    const record = (await loadArchiveCase(c.get('deps').db, found.id))!;
    const pass = c.req.query(PASS_PARAM);
    return render(c, '/diarium/views/case', {
      title: c.get('t')('diarium.case.title', { caseNumber: found.caseNumber }),
      record,
      erasedAt: found.erasedAt,
      closed: isClosedStatus(found.status),
      pkg: await packageInfo(c, found.id),
      personnummer: maskPersonnummer(record.applicant.personnummer),
      exportHref: withPass(`${casePath(found.caseNumber)}/arkivpaket.zip`, pass),
      checksumHref: withPass(`${casePath(found.caseNumber)}/arkivpaket.zip.sha256`, pass),
    });
  });

  app.get('/personal/diarium/:caseNumber/arkivpaket.zip', async (c) => {
    const found = await caseOf(c);
    const gate = await requireStatedReason(c, { applicationId: found.id, caseNumber: found.caseNumber, returnTo: casePath(found.caseNumber) });
    if (gate) return gate;
    const user = c.get('user')!;
    const result = await ensureArchivePackage(c.get('deps').db, found.id, { createdBy: user.id, t: translator('sv') });
    if (!result.ok) {
      const t = c.get('t');
      return render(
        c,
        '/diarium/views/notExportable',
        { title: t('diarium.export.notExportableTitle'), caseNumber: found.caseNumber, code: result.code, caseHref: withPass(casePath(found.caseNumber), c.req.query(PASS_PARAM)) },
        409,
      );
    }
    const pkg = result.package;
    await recordAudit(c.get('deps').db, { actorId: user.id, action: 'caseExported', applicationId: found.id, caseNumber: found.caseNumber, reason: EXPORT_REASON });
    return c.body(new Uint8Array(pkg.content), 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${pkg.fileName}"`,
      'Content-Length': String(pkg.sizeBytes),
      'Cache-Control': 'no-store',
      'X-Checksum-SHA256': pkg.sha256,
      Digest: `sha-256=${Buffer.from(pkg.sha256, 'hex').toString('base64')}`,
    });
  });

  // The sidecar: the package's checksum in the format `sha256sum -c` reads.
  app.get('/personal/diarium/:caseNumber/arkivpaket.zip.sha256', async (c) => {
    const found = await caseOf(c);
    const gate = await requireStatedReason(c, { applicationId: found.id, caseNumber: found.caseNumber, returnTo: casePath(found.caseNumber) });
    if (gate) return gate;
    const pkg = await c.get('deps').db.archivePackage.findUnique({ where: { applicationId: found.id }, select: { sha256: true, fileName: true } });
    if (!pkg) throw new HTTPException(404);
    return c.body(`${pkg.sha256}  ${pkg.fileName}\n`, 200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': `attachment; filename="${pkg.fileName}.sha256"`,
      'Cache-Control': 'no-store',
    });
  });

  return app;
}
