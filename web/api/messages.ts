// Field messages for API clients: the same translation keys as the web form, in Swedish unless
// the client asks for English (Accept-Language). A key missing from the dictionaries falls back to
// plain English rather than leaking "errors.x" to the portal's users.
import { translator, type Lang } from '../../lib/i18n';

const FALLBACK: Record<string, string> = {
  'errors.required': 'This field is required',
  'errors.invalid': 'Invalid value',
  'errors.courseId': 'courseId must be a course id (uuid)',
  'errors.email': 'Invalid e-mail address',
  'errors.name': 'The name must be at least 2 characters',
  'errors.tooLong': 'The value is too long',
  'errors.phone': 'Invalid phone number',
  'errors.childAge': "The child's age must be a whole number from 0 to 18",
  'errors.message': 'The message may be at most 1000 characters',
  'errors.personnummer.format': 'The personnummer must be written YYYYMMDD-NNNN',
  'errors.personnummer.date': 'The personnummer contains an invalid date',
  'errors.personnummer.checksum': 'The personnummer has an invalid check digit',
};

export function apiLang(acceptLanguage: string | undefined): Lang {
  return /^\s*en\b/i.test(acceptLanguage ?? '') ? 'en' : 'sv';
}

export function translateFields(keys: Record<string, string>, lang: Lang): Record<string, string> {
  const t = translator(lang);
  const out: Record<string, string> = {};
  for (const [field, key] of Object.entries(keys)) {
    const text = t(key);
    out[field] = text !== key ? text : (FALLBACK[key] ?? FALLBACK['errors.invalid']);
  }
  return out;
}
