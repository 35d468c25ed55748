// GET /faktura/<number>.pdf (R8.6).
import { Hono } from 'hono';
import { INVOICE_NUMBER_PATTERN } from '../../lib/invoices/issue';
import { invoicePdf, loadInvoice } from '../../lib/invoices/invoicePdf';
import type { AppEnv } from '../context';
import { mayDownload, notFound, pdfNumber, requireLoginFor, sendPdf } from './documents';

export function invoicePdfRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/faktura/:file', async (c) => {
    const number = pdfNumber(c.req.param('file'), INVOICE_NUMBER_PATTERN);
    if (!number) return notFound();
    const login = requireLoginFor(c);
    if (login) return login;
    const invoice = await loadInvoice(c.get('deps').db, number);
    if (!invoice || !mayDownload(c, invoice.application.personId)) return notFound();
    return sendPdf(c, invoicePdf(invoice, c.get('t'), c.get('lang')), `${number}.pdf`);
  });
  return app;
}
