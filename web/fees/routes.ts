// The administrator's fee desk (R8.6): the fee per training, invoices per participant, overdue
// invoices highlighted, payments marked. Invoices are stored first, then the case workflow is told.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { issueInvoice, markInvoicePaid, INVOICE_NUMBER_PATTERN } from '../../lib/invoices/issue';
import { isOverdue, listTrainings, overdueInvoices, participants, PARTICIPANTS_PAGE_SIZE } from '../../lib/invoices/desk';
import { kronorFieldValue } from '../../lib/invoices/money';
import { addDays, stockholmDateString } from '../../lib/time';
import type { AppEnv } from '../context';
import { trainingOf, UUID } from './training';
import { renderFees as render } from './view';
import { requireArea } from '../security/guards';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { FeeForm, InvoiceForm } from './forms';
import * as enrolmentCommands from '../../lib/commands/professionalEnrolment';
import { certificateDeskRoutes } from './certificates';
import { PARTICIPANT_STATUSES } from '../../rules/caseStatus';

const BASE = '/personal/avgifter';

async function trainingPage(c: Context<AppEnv>, extra: Record<string, unknown> = {}, status: 200 | 422 = 200) {
  const course = await trainingOf(c);
  const requested = Math.max(1, Number(c.req.query('sida')) || 1);
  const { total, rows } = await participants(c.get('deps').db, course.id, requested);
  const q = c.req.query();
  return render(
    c,
    '/fees/views/training',
    {
      title: c.get('t')('fees.training.title', { course: course.title }),
      course,
      rows,
      isOverdue,
      page: requested,
      pages: Math.max(1, Math.ceil(total / PARTICIPANTS_PAGE_SIZE)),
      values: { fee: kronorFieldValue(course.feeOre) },
      flash: { issued: q.utfardad, paid: q.betald, feeSaved: q.avgift === 'sparad', unreachable: q.arende === 'ej-nadd' },
      ...extra,
    },
    status,
  );
}

async function invoiceApplication(c: Context<AppEnv>, courseId: string) {
  const id = c.req.param('applicationId') ?? '';
  const found = UUID.test(id)
    ? await c.get('deps').db.application.findFirst({
        where: { id, courseId, status: { in: [...PARTICIPANT_STATUSES] } },
        select: { id: true, caseNumber: true, workflowId: true, person: { select: { name: true, email: true } } },
      })
    : null;
  if (!found) throw new HTTPException(404);
  return found;
}

async function invoiceByNumber(c: Context<AppEnv>) {
  const number = c.req.param('number') ?? '';
  const found = INVOICE_NUMBER_PATTERN.test(number)
    ? await c.get('deps').db.invoice.findUnique({
        where: { number },
        include: { application: { select: { courseId: true, workflowId: true, caseNumber: true, person: { select: { name: true, email: true } } } } },
      })
    : null;
  if (!found) throw new HTTPException(404);
  return found;
}

export function feeRoutes() {
  const app = new Hono<AppEnv>();
  app.use(BASE, requireArea('fees'));
  app.use(`${BASE}/*`, requireArea('fees'));

  app.get(BASE, async (c) => {
    const db = c.get('deps').db;
    const [trainings, overdue] = await Promise.all([listTrainings(db), overdueInvoices(db)]);
    return render(c, '/fees/views/overview', { title: c.get('t')('fees.title'), trainings, overdue });
  });

  app.get(`${BASE}/:courseId`, (c) => trainingPage(c));

  app.post(`${BASE}/:courseId/avgift`, async (c) => {
    const course = await trainingOf(c);
    const form = await c.req.parseBody();
    const parsed = FeeForm.safeParse(form);
    if (!parsed.success) return trainingPage(c, { values: form, errors: fieldErrors(parsed.error) }, 422);
    await c.get('deps').db.course.update({ where: { id: course.id }, data: { feeOre: parsed.data.fee } });
    return c.redirect(`${BASE}/${course.id}?avgift=sparad`, 303);
  });

  const invoiceForm = async (c: Context<AppEnv>, values: Record<string, unknown> | null, errors?: Record<string, string>) => {
    const course = await trainingOf(c);
    const application = await invoiceApplication(c, course.id);
    return render(
      c,
      '/fees/views/invoiceForm',
      {
        title: c.get('t')('fees.invoice.title'),
        course,
        application,
        values: values ?? { amount: kronorFieldValue(course.feeOre), dueDate: addDays(stockholmDateString(new Date()), 30) },
        errors,
      },
      errors ? 422 : 200,
    );
  };

  app.get(`${BASE}/:courseId/faktura/:applicationId`, (c) => invoiceForm(c, null));

  app.post(`${BASE}/:courseId/faktura/:applicationId`, async (c) => {
    const course = await trainingOf(c);
    const application = await invoiceApplication(c, course.id);
    const form = await c.req.parseBody();
    const parsed = InvoiceForm.safeParse(form);
    if (!parsed.success) return invoiceForm(c, form, fieldErrors(parsed.error));
    const deps = c.get('deps');
    const invoice = await issueInvoice(deps.db, { applicationId: application.id, amountOre: parsed.data.amount, dueDate: parsed.data.dueDate });
    // The invoice is stored either way; an unreached case is said on the page (its due-date timer waits).
    const told = (await enrolmentCommands.invoiceIssued(deps.temporal, application.workflowId, { invoiceId: invoice.id, dueDate: parsed.data.dueDate.toISOString().slice(0, 10) })).ok;
    return c.redirect(`${BASE}/${course.id}?utfardad=${invoice.number}${told ? '' : '&arende=ej-nadd'}`, 303);
  });

  // Marking paid asks first (a plain post shows the question; confirm=yes acts).
  app.post(`${BASE}/fakturor/:number/betald`, async (c) => {
    const invoice = await invoiceByNumber(c);
    const form = await c.req.parseBody();
    const back = `${BASE}/${invoice.application.courseId}`;
    if (invoice.paidAt) return c.redirect(`${back}?betald=${invoice.number}`, 303);
    if (form.confirm !== 'yes') {
      return render(c, '/fees/views/paidConfirm', { title: c.get('t')('fees.paid.confirmTitle'), invoice, back });
    }
    const deps = c.get('deps');
    await markInvoicePaid(deps.db, invoice.id);
    const told = (await enrolmentCommands.invoicePaid(deps.temporal, invoice.application.workflowId, { invoiceId: invoice.id })).ok;
    return c.redirect(`${back}?betald=${invoice.number}${told ? '' : '&arende=ej-nadd'}`, 303);
  });

  app.route('/', certificateDeskRoutes());
  return app;
}
