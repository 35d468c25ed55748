// Swedish personal identity number (personnummer / samordningsnummer), pure and testable.

export type PersonnummerError = 'format' | 'date' | 'checksum';

/**
 * Normalises "YYYYMMDD-NNNN", "YYYYMMDDNNNN" or "YYYYMMDD NNNN", and the 10-digit "YYMMDD-NNNN"
 * (the century is the one that makes the person at most 99; "+" instead of "-" means 100 or
 * older, as Skatteverket writes it) to "YYYYMMDD-NNNN".
 */
export function parsePersonnummer(raw: string, today = new Date()): { ok: true; value: string } | { ok: false; error: PersonnummerError } {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+ ]?)(\d{4})$/.exec(raw.trim());
  if (!m) return { ok: false, error: 'format' };
  const [, century, yy, mo, d, separator, tail] = m;
  const y = century ? `${century}${yy}` : String(fullYear(Number(yy), Number(mo), Number(d) > 60 ? Number(d) - 60 : Number(d), separator === '+', today));
  const year = Number(y);
  const month = Number(mo);
  // Samordningsnummer add 60 to the day.
  const day = Number(d) > 60 ? Number(d) - 60 : Number(d);
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1900;
  if (!valid || date.getTime() > today.getTime()) return { ok: false, error: 'date' };
  if (!luhnValid(`${yy}${mo}${d}${tail}`)) return { ok: false, error: 'checksum' };
  return { ok: true, value: `${y}${mo}${d}-${tail}` };
}

/** The latest year ending in `yy` whose birthday is not in the future; a hundred years before that with "+". */
function fullYear(yy: number, month: number, day: number, hundredOrOlder: boolean, today: Date): number {
  let year = Math.floor(today.getUTCFullYear() / 100) * 100 + yy;
  if (Date.UTC(year, month - 1, day) > today.getTime()) year -= 100;
  return hundredOrOlder ? year - 100 : year;
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
