// Certificates in public (R6.6, R8.8, issue 14 item 7): anyone with the address printed on a
// certificate (its random verification code) can check that it is real, and sees only the
// holder's name, the training and the date. The document number opens nothing here: a number,
// or an old /intyg/KOMI-… address, answers like an unknown code. The PDF itself, by number, is
// for the holder and admins.
import { Hono } from 'hono';
import { CERTIFICATE_NUMBER_PATTERN } from '../../lib/certificates/issue';
import { certificatePdf, loadCertificate } from '../../lib/certificates/certificatePdf';
import { verifyCertificate } from '../../lib/certificates/verify';
import type { AppEnv } from '../context';
import { mayDownload, notFound, pdfNumber, requireLoginFor, sendPdf } from '../fees/documents';
import { renderFees as render } from '../fees/view';
import { clientAddress, hitLimit } from '../security/rateLimit';

/** Lookups per client address and minute: enough for people; a brake on top of the codes' randomness. */
const LOOKUPS_PER_MINUTE = 30;

export function verifyRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/intyg/:code', async (c) => {
    const param = c.req.param('code');
    const db = c.get('deps').db;
    const number = pdfNumber(param, CERTIFICATE_NUMBER_PATTERN);
    if (number) {
      const login = requireLoginFor(c);
      if (login) return login;
      const certificate = await loadCertificate(db, number);
      if (!certificate || !mayDownload(c, certificate.application.personId)) return notFound();
      return sendPdf(c, certificatePdf(certificate, c.get('deps').config.publicUrl, c.get('t'), c.get('lang')), `${number}.pdf`);
    }
    // Counted in the shared store (issue 14): every web process brakes the same address.
    const lookup = await hitLimit(c.get('deps'), 'certificate-lookup', clientAddress(c), LOOKUPS_PER_MINUTE, 60_000);
    if (!lookup.allowed) {
      c.header('Retry-After', String(lookup.retryAfterS));
      return render(c, '/layout/error', { status: 429, reason: 'rateLimited' }, 429);
    }
    const certificate = await verifyCertificate(db, param);
    if (!certificate) {
      return render(c, '/verify/views/notFound', { title: c.get('t')('fees.verify.notFoundTitle'), code: param.slice(0, 40) }, 404);
    }
    const valid = certificate.validity.valid;
    return render(c, '/verify/views/valid', {
      title: c.get('t')(valid ? 'fees.verify.validTitle' : 'fees.verify.notValidTitle'),
      certificate,
    });
  });

  return app;
}
