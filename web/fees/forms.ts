// The fee and invoice forms (R8.6). Every message is a translation key.
import { z } from 'zod';
import { parseKronor } from '../../lib/invoices/money';
import { stockholmDateString } from '../../lib/time';

const kronor = (error: string) =>
  z
    .string({ error })
    .transform((v, ctx) => {
      const ore = parseKronor(v);
      if (ore === null) {
        ctx.addIssue({ code: 'custom', message: error });
        return z.NEVER;
      }
      return ore;
    });

export const FeeForm = z.object({ fee: kronor('fees.errors.fee') });

/** A real calendar day, today (Stockholm) or later. */
const dueDate = z
  .string({ error: 'fees.errors.dueDate' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'fees.errors.dueDate' })
  .refine((v) => !Number.isNaN(Date.parse(`${v}T12:00:00Z`)) && new Date(`${v}T12:00:00Z`).toISOString().startsWith(v), {
    error: 'fees.errors.dueDate',
  })
  .refine((v) => v >= stockholmDateString(new Date()), { error: 'fees.errors.dueDatePast' })
  .transform((v) => new Date(`${v}T00:00:00Z`));

export const InvoiceForm = z.object({
  amount: kronor('fees.errors.amount').refine((ore) => ore > 0, { error: 'fees.errors.amount' }),
  dueDate,
});

