// The pieces every filtered, paged list's query string is made of (working list, audit review,
// diarium, statistics, inspector): blank fields count as not given, dates are real calendar days,
// the page is a whole number from 1, and a failed parse keeps what was typed for the form.
import { z } from 'zod';
import { fieldErrors } from './fieldErrors';
import { isCalendarDay } from './formFields';

/** An empty or blank field is a filter not set. */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** YYYY-MM-DD that is a day of the calendar (2026-02-30 matches the pattern but is no day). */
export function calendarDay(errorKey: string) {
  return z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: errorKey })
    .refine(isCalendarDay, { error: errorKey });
}

/** The page number: blank → 1; otherwise a whole number from 1 to `max`. */
export function pageParam(errorKey: string, max: number) {
  return z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: errorKey }).int({ error: errorKey }).min(1, { error: errorKey }).max(max, { error: errorKey }).default(1),
  );
}

export type ParsedFilter<T> =
  | { ok: true; filter: T }
  | { ok: false; errors: Record<string, string>; values: Record<string, string> };

/**
 * Parses a list's query; on failure the errors per field and the typed values of `keys` for the
 * form (cut to `valueMax` characters when given: only plain short strings go back into it).
 */
export function parseFilterQuery<S extends z.ZodType>(
  schema: S,
  query: Record<string, string | undefined>,
  keys: readonly string[],
  valueMax?: number,
): ParsedFilter<z.output<S>> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return { ok: true, filter: parsed.data };
  const values = Object.fromEntries(keys.map((k) => [k, String(query[k] ?? '').slice(0, valueMax)]));
  return { ok: false, errors: fieldErrors(parsed.error), values };
}
