// Case numbers (diarienummer) KOM-<year>-<6 digits>, allocated inside the caller's transaction so
// a number is never used twice and never skipped by a failed insert.
import type { DbTypes } from '../db';

type Tx = Omit<DbTypes.PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export function stockholmYear(at: Date): number {
  return Number(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric' }).format(at));
}

export async function allocateCaseNumber(tx: Tx, at: Date): Promise<string> {
  const year = stockholmYear(at);
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO case_counter (year, last) VALUES (${year}, 1)
    ON CONFLICT (year) DO UPDATE SET last = case_counter.last + 1
    RETURNING last`;
  return formatCaseNumber(year, rows[0].last);
}

export function formatCaseNumber(year: number, serial: number): string {
  return `KOM-${year}-${String(serial).padStart(6, '0')}`;
}

export const CASE_NUMBER_PATTERN = /^KOM-\d{4}-\d{6}$/;
