// Case numbers (diarienummer) KOM-<year>-<6 digits>. A number is taken by the same statement that
// stores the application (see storeApplication), so it is never used twice and never skipped by a
// failed insert: the whole statement rolls back.
import { DbTypes } from '../db';

// Built once: constructing an Intl.DateTimeFormat costs about a millisecond, formatting microseconds.
const STOCKHOLM_YEAR = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric' });

export function stockholmYear(at: Date): number {
  return Number(STOCKHOLM_YEAR.format(at));
}

/**
 * A data-modifying CTE body: bumps the year's counter (one row a year, `INSERT … ON CONFLICT … DO
 * UPDATE … RETURNING`) and returns `case_number` formatted like formatCaseNumber. Past 999999 it
 * returns NULL, which the NOT NULL column refuses, so the year's millionth case fails loudly.
 */
export function nextCaseNumberSql(at: Date): DbTypes.Prisma.Sql {
  const year = stockholmYear(at);
  return DbTypes.Prisma.sql`
    INSERT INTO case_counter (year, last) VALUES (${year}, 1)
    ON CONFLICT (year) DO UPDATE SET last = case_counter.last + 1
    RETURNING CASE WHEN last <= 999999 THEN 'KOM-' || year || '-' || lpad(last::text, 6, '0') END AS case_number`;
}

export function formatCaseNumber(year: number, serial: number): string {
  return `KOM-${year}-${String(serial).padStart(6, '0')}`;
}

export const CASE_NUMBER_PATTERN = /^KOM-\d{4}-\d{6}$/;
