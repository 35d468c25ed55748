// Form fields more than one form needs. Messages are translation keys.
import { z } from 'zod';

/** A whole number typed into a form field, within [min, max]. */
export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(1, 'errors.required')
    .regex(/^\d+$/, 'errors.wholeNumber')
    .transform(Number)
    .refine((n) => n >= min && n <= max, 'errors.outOfRange');

/** YYYY-MM-DD that names a real day (2026-02-30 has the shape but is no day). */
export function isCalendarDay(date: string): boolean {
  const at = new Date(`${date}T12:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(date);
}

/**
 * Characters no text a person types may hold (issue 14): the C0 controls but tab, newline and
 * carriage return, and DEL. PostgreSQL refuses U+0000 outright (a 500 where it reached a query);
 * the others are invisible and only ever come from a crafted request. Every form and JSON body,
 * every query value and the path are checked against this one rule (web/security/requestBody.ts).
 */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** The name of the first field holding a control character (also in a file's name), or null. */
export function fieldWithControlCharacters(values: unknown, path = ''): string | null {
  if (typeof values === 'string') return CONTROL_CHARACTERS.test(values) ? path || '_' : null;
  if (typeof File !== 'undefined' && values instanceof File) return CONTROL_CHARACTERS.test(values.name) ? path || '_' : null;
  if (Array.isArray(values)) {
    for (const value of values) {
      const found = fieldWithControlCharacters(value, path);
      if (found) return found;
    }
    return null;
  }
  if (values && typeof values === 'object') {
    for (const [key, value] of Object.entries(values)) {
      const name = path ? `${path}.${key}` : key;
      if (CONTROL_CHARACTERS.test(key)) return name;
      const found = fieldWithControlCharacters(value, name);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Percent-decoded until it stops changing (`%2500` decodes twice to NUL), as a later step might
 * decode again; null when an escape is broken or the value is still encoded after four rounds.
 */
export function percentDecoded(value: string): string | null {
  let current = value;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}
