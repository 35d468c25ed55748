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
