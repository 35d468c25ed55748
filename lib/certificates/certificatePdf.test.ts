// The certificate PDF (R6.6, R8.8; issues 14 item 7 and 16 item 8): a holder named in Arabic and
// Latin letters reads back as written, the verification address is printed and drawn as a QR
// code of exactly that address, the document number is printed, and the file is PDF/A-2b.
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { pdfaProblems } from '../pdf/pdfaCheck';
import { readPdfPages, type Rect } from '../pdf/pdfText';
import { certificatePdf, type LoadedCertificate } from './certificatePdf';
import { newVerificationCode } from './verificationCode';

const PUBLIC_URL = 'https://komet.example';
const code = newVerificationCode();
const certificate = {
  id: '5b0c1f8e-1d7a-4a55-9b8e-2f1c0b3a9d10',
  number: 'KOMI-2026-00042',
  verificationCode: code,
  applicationId: '0d7f3a0e-9b55-4f2e-8c11-6a1f2b3c4d5e',
  holderName: 'أحمد Öberg',
  trainingTitle: 'Komet för yrkesverksamma – vår',
  issuedAt: new Date('2026-06-12T08:00:00Z'),
  application: { personId: 'p', courseId: 'c' },
  trainingFrom: new Date('2026-02-02T16:00:00Z'),
  trainingTo: new Date('2026-05-25T18:00:00Z'),
} satisfies LoadedCertificate;

/** The dark modules drawn, as a matrix: rectangles one module high, merged along each row. */
function drawnModules(rects: Rect[]): boolean[][] {
  const unit = Math.min(...rects.map((r) => r.height));
  const left = Math.min(...rects.map((r) => r.x));
  const top = Math.min(...rects.map((r) => r.y));
  const size = Math.round((Math.max(...rects.map((r) => r.x + r.width)) - left) / unit);
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const r of rects) {
    const row = Math.round((r.y - top) / unit);
    const first = Math.round((r.x - left) / unit);
    for (let col = first; col < first + Math.round(r.width / unit); col++) grid[row][col] = true;
  }
  return grid;
}

describe('the certificate PDF', () => {
  const pdf = certificatePdf(certificate, PUBLIC_URL, translator('sv'), 'sv');
  const [page] = readPdfPages(pdf);
  const url = `${PUBLIC_URL}/intyg/${code}`;

  it('names the holder as written, Arabic and Latin letters alike, in the rows and in the statement', () => {
    expect(page.lines).toContain('أحمد Öberg');
    expect(page.lines.some((l) => l.startsWith('أحمد Öberg har genomgått utbildningen Komet för yrkesverksamma – vår'))).toBe(true);
    expect(page.lines).toContain('Komet för yrkesverksamma – vår');
    expect(page.lines).toContain('2026-02-02 – 2026-05-25');
  });

  it('prints its document number and the verification address, not an address of the number', () => {
    expect(page.lines).toContain('KOMI-2026-00042');
    expect(page.lines).toContain(url);
    expect(page.lines.join('\n')).not.toContain('/intyg/KOMI');
  });

  it('carries the verification address as a QR code, drawn as vector squares', () => {
    const expected = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules;
    const drawn = drawnModules(page.filledRects);
    expect(drawn.length).toBe(expected.size);
    for (let row = 0; row < expected.size; row++) {
      for (let col = 0; col < expected.size; col++) expect(drawn[row][col], `module ${row},${col}`).toBe(!!expected.get(row, col));
    }
    // Big enough to scan from paper: at least 25 mm wide.
    const width = Math.max(...page.filledRects.map((r) => r.x + r.width)) - Math.min(...page.filledRects.map((r) => r.x));
    expect(width).toBeGreaterThan((25 / 25.4) * 72);
  });

  it('is a PDF/A-2b file', () => {
    expect(pdfaProblems(pdf)).toEqual([]);
  });
});
