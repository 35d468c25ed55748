// The code that opens a certificate's public verification page (issue 14 item 7). The sequential
// number (KOMI-2026-00001) is the document number printed on the certificate; walking numbers
// must not list the certified, so the page opens only by a random code: 18 bytes from the CSPRNG
// (144 bits; no one guesses one, let alone walks them), base64url, 24 characters, safe in a URL
// and short enough for a QR code and to type from paper. Stored as it is (unique), since the PDF,
// printed again on request, carries it; it shows no more than what the page itself shows.
import { randomBytes } from 'node:crypto';

const CODE_BYTES = 18;

export const VERIFICATION_CODE_PATTERN = /^[A-Za-z0-9_-]{24}$/;

export function newVerificationCode(): string {
  return randomBytes(CODE_BYTES).toString('base64url');
}

/** The public address printed on the certificate and carried by its QR code. */
export function verificationUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/intyg/${code}`;
}
