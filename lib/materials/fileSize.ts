// File sizes as people read them: "340 kB", "1,2 MB" (Swedish decimal comma).
import { intlLocale } from '../i18n';

const formats = new Map<string, { kb: Intl.NumberFormat; mb: Intl.NumberFormat }>();

export function formatFileSize(bytes: number, lang: string): string {
  const locale = intlLocale(lang);
  let f = formats.get(locale);
  if (!f) {
    f = {
      kb: new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }),
      mb: new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }),
    };
    formats.set(locale, f);
  }
  return bytes < 1024 * 1024 ? f.kb.format(Math.max(1, Math.round(bytes / 1024))) : f.mb.format(bytes / (1024 * 1024));
}
