// The one way a zod error becomes form errors: { field: translation key }, first message per
// field. Schemas name their messages as translation keys; anything else (zod's own English) shows
// as the generic "errors.invalid".
import type { z } from 'zod';

const TRANSLATION_KEY = /^[a-zA-Z]+(\.[a-zA-Z0-9-]+)+$/;

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    out[String(issue.path[0] ?? '_form')] ??= TRANSLATION_KEY.test(issue.message) ? issue.message : 'errors.invalid';
  }
  return out;
}
