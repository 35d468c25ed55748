// "Mina ärenden" (R2.6, R11.2): the citizen's own cases, with a status panel that polls while the
// process runs, each case's receipt, and the drafts they saved (issue 16). One partial serves the
// page and the htmx fragment.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { loadCaseView, type CaseView } from '../../lib/cases/caseView';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { DbTypes, utcTimestamp } from '../../lib/db';
import { mayActOnOwnCase } from '../../lib/policy';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireUser } from '../security/guards';
import { readWithSession, type SessionPage } from '../security/session';
import { invalidFormStatus, messagePanelData, postMessageFromForm } from '../messages/panel';
import { loadWebCoursePanel } from '../web-course/panel';
import { caseSurveys } from '../../lib/surveys/invitations';
import { caseMaterials } from '../materials/routes';
import { caseDocuments } from '../fees/view';
import { isRefusal } from '../../rules/refusals';
import { sendPdf } from '../fees/documents';
import { deleteDraft, DRAFT_DAYS, draftFormPath, ownDraft, ownDraftsSql, type DraftRow } from '../../lib/cases/drafts';
import { loadReceipt, receiptPdf } from '../../lib/cases/receiptPdf';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One row per case, only what the list shows. */
interface CaseListRow {
  caseNumber: string;
  status: string;
  submittedAt: Date;
  courseTitle: string;
  districtName: string | null;
}

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

type MyCases = { cases: CaseListRow[]; drafts: DraftRow[] };

/**
 * The parent's cases and drafts, newest first, as one json value (`Db['sql']`): this is the
 * parent's landing page, and each round trip to the database costs more than the query it carries.
 * `person` is a SQL expression of the parent's id: the session's person.
 */
function myCasesJson(person: DbTypes.Prisma.Sql): DbTypes.Prisma.Sql {
  return DbTypes.Prisma.sql`json_build_object(
    'cases', COALESCE((SELECT json_agg(x ORDER BY x."submittedAt" DESC) FROM (
               SELECT a.case_number AS "caseNumber", a.status::text AS status, a.submitted_at AS "submittedAt",
                      c.title AS "courseTitle", d.name AS "districtName"
               FROM application a JOIN course c ON c.id = a.course_id LEFT JOIN district d ON d.id = c.district_id
               WHERE a.person_id = ${person}) x), '[]'),
    'drafts', COALESCE((SELECT json_agg(y ORDER BY y."updatedAt" DESC) FROM (${ownDraftsSql(person, new Date())}) y), '[]'))`;
}

function readMyCases(json: unknown): MyCases {
  const { cases, drafts } = json as { cases: Json<CaseListRow>[]; drafts: Json<DraftRow>[] };
  return {
    cases: cases.map((a) => ({ ...a, submittedAt: utcTimestamp(a.submittedAt) })),
    drafts: drafts.map((d) => ({ ...d, updatedAt: utcTimestamp(d.updatedAt), expiresAt: utcTimestamp(d.expiresAt) })),
  };
}

/** "Mina ärenden" is read in the session's own statement (web/app.ts). */
export const myCasesPage: SessionPage<MyCases> = { path: '/mina-arenden', json: myCasesJson, read: readMyCases };

async function ownCase(c: Context<AppEnv>) {
  const caseNumber = c.req.param('caseNumber') ?? '';
  const view = CASE_NUMBER_PATTERN.test(caseNumber) ? await loadCaseView(c.get('deps'), caseNumber) : null;
  // Someone else's case answers exactly like a missing one.
  if (!view || !mayActOnOwnCase(c.get('user')!, view, 'open')) throw new HTTPException(404);
  // Messages have their own thread on the page, not lines in the timeline.
  return { ...view, events: view.events.filter((e) => e.type !== 'message') };
}

async function casePage(c: Context<AppEnv>, view: CaseView, extra: Record<string, unknown> = {}, status: 200 | 422 = 200) {
  return render(
    c,
    '/my-cases/views/case',
    {
      title: view.caseNumber,
      view,
      justSubmitted: c.req.query('ny') === '1',
      alreadyApplied: c.req.query('redan') === '1',
      // A refused action's reason, after its redirect (only known codes are shown).
      refusal: isRefusal(c.req.query('nekad')) ? c.req.query('nekad') : null,
      webCourse: await loadWebCoursePanel(c.get('deps').db, view.caseNumber),
      surveyInvitations: await caseSurveys(c.get('deps').db, c.get('deps').config.sessionSecret, view.id),
      ...(await caseMaterials(c, view.id)),
      caseDocuments: await caseDocuments(c.get('deps').db, view.id, c.get('lang')),
      ...(await messagePanelData(c, view.id, `/mina-arenden/${view.caseNumber}/meddelanden`, 'parent')),
      ...extra,
    },
    status,
  );
}

export function myCasesRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/mina-arenden', requireUser);
  app.use('/mina-arenden/*', requireUser);

  app.get('/mina-arenden', async (c) => {
    const { cases, drafts } = readWithSession(c, myCasesPage);
    const flash = c.req.query('utkast');
    return render(c, '/my-cases/views/list', {
      title: c.get('t')('myCases.title'),
      cases,
      // The parent's own drafts only (issue 16): myCasesJson reads by the session's person.
      drafts: drafts.map((d) => ({ ...d, href: draftFormPath(d) })),
      draftDays: DRAFT_DAYS,
      draftFlash: flash === 'sparat' && drafts.length ? { key: 'flashSaved', until: drafts[0].expiresAt } : flash === 'borttaget' ? { key: 'flashDeleted' } : null,
    });
  });

  // Deleting a draft asks first (a plain page without JavaScript); someone else's is a 404.
  app.post('/mina-arenden/utkast/:id/ta-bort', async (c) => {
    const { db } = c.get('deps');
    const userId = c.get('user')!.id;
    const id = c.req.param('id');
    const draft = UUID.test(id) ? await ownDraft(db, userId, id) : null;
    if (!draft) throw new HTTPException(404);
    const form = await c.req.parseBody();
    if (form.confirm !== 'yes') return render(c, '/my-cases/views/draftDelete', { title: c.get('t')('myCases.drafts.confirmTitle'), draft });
    await deleteDraft(db, userId, draft.id);
    return c.redirect('/mina-arenden?utkast=borttaget#utkast', 303);
  });

  app.get('/mina-arenden/:caseNumber', async (c) => casePage(c, await ownCase(c)));

  app.post('/mina-arenden/:caseNumber/meddelanden', async (c) => {
    const view = await ownCase(c);
    const posted = await postMessageFromForm(c, view.id, 'parent');
    if (!posted.ok) return casePage(c, view, { messageErrors: posted.errors, messageValue: posted.value }, invalidFormStatus(c));
    return c.redirect(`/mina-arenden/${view.caseNumber}?meddelande=skickat#meddelanden`, 303);
  });

  // The receipt (issue 16): the owner's alone, like the case.
  app.get('/mina-arenden/:caseNumber/kvitto.pdf', async (c) => {
    const caseNumber = c.req.param('caseNumber');
    const receipt = CASE_NUMBER_PATTERN.test(caseNumber) ? await loadReceipt(c.get('deps').db, caseNumber) : null;
    if (!receipt || !mayActOnOwnCase(c.get('user')!, receipt, 'open')) throw new HTTPException(404);
    const pdf = receiptPdf(receipt, c.get('t'), c.get('lang'), `${c.get('deps').config.publicUrl}/mina-arenden`);
    return sendPdf(c, pdf, `kvitto-${caseNumber}.pdf`);
  });

  app.get('/mina-arenden/:caseNumber/status', async (c) => {
    return render(c, '/my-cases/views/status', { view: await ownCase(c) });
  });

  return app;
}
