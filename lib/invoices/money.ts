// Fees are kept in öre (whole numbers); people type kronor, "1250", "1 250,50" or "1250.5".
import { intlLocale } from '../i18n';

/** Öre from a typed amount in kronor, or null when it is not a non-negative amount. */
export function parseKronor(input: string): number | null {
  const text = input.replace(/[\s\u00a0\u202f]/g, '').replace(/kr$/i, '').replace(',', '.');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(text)) return null;
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

const formats = new Map<string, Intl.NumberFormat>();

/** "1 250,00 kr" in Swedish, "SEK 1,250.00" in English. */
export function formatKronor(ore: number, lang: string): string {
  let f = formats.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(lang), { style: 'currency', currency: 'SEK', minimumFractionDigits: 2 });
    formats.set(lang, f);
  }
  return f.format(ore / 100);
}

/** The value to prefill a kronor field with: "1250" or "1250,50". */
export function kronorFieldValue(ore: number | null | undefined): string {
  if (ore === null || ore === undefined) return '';
  return ore % 100 === 0 ? String(ore / 100) : (ore / 100).toFixed(2).replace('.', ',');
}
