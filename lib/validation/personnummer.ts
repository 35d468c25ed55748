// Swedish personal identity number (personnummer / samordningsnummer), pure and testable.

export type PersonnummerError = 'format' | 'date' | 'checksum';

/** Normalises "YYYYMMDD-NNNN", "YYYYMMDDNNNN" or "YYYYMMDD NNNN" to "YYYYMMDD-NNNN". */
export function parsePersonnummer(raw: string, today = new Date()): { ok: true; value: string } | { ok: false; error: PersonnummerError } {
  const m = /^(\d{4})(\d{2})(\d{2})[-+ ]?(\d{4})$/.exec(raw.trim());
  if (!m) return { ok: false, error: 'format' };
  const [, y, mo, d, tail] = m;
  const year = Number(y);
  const month = Number(mo);
  // Samordningsnummer add 60 to the day.
  const day = Number(d) > 60 ? Number(d) - 60 : Number(d);
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1900;
  if (!valid || date.getTime() > today.getTime()) return { ok: false, error: 'date' };
  if (!luhnValid(`${y.slice(2)}${mo}${d}${tail}`)) return { ok: false, error: 'checksum' };
  return { ok: true, value: `${y}${mo}${d}-${tail}` };
}

function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < tenDigits.length; i++) {
    let n = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (n > 9) n -= 9;
    sum += n;
  }
  return sum % 10 === 0;
}
