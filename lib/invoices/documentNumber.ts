// Invoice and certificate numbers <prefix>-<year>-<5 digits>, one counter row per kind and year.
// Taken inside the caller's transaction, so a failed insert gives the number back.
import type { DbTypes } from '../db';
import { stockholmYear } from '../cases/caseNumber';

type Tx = Pick<DbTypes.Prisma.TransactionClient, '$queryRaw'>;

export type DocumentKind = 'invoice' | 'certificate';

export async function nextDocumentNumber(tx: Tx, kind: DocumentKind, prefix: string, at: Date): Promise<string> {
  const year = stockholmYear(at);
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO document_counter (kind, year, last) VALUES (${kind}, ${year}, 1)
    ON CONFLICT (kind, year) DO UPDATE SET last = document_counter.last + 1
    RETURNING last`;
  const serial = Number(rows[0]!.last);
  if (serial > 99999) throw new Error(`${kind} numbers for ${year} are exhausted`);
  return formatDocumentNumber(prefix, year, serial);
}

export function formatDocumentNumber(prefix: string, year: number, serial: number): string {
  return `${prefix}-${year}-${String(serial).padStart(5, '0')}`;
}
