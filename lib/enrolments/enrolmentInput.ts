// The professional's enrolment form (R6.1) and the manager's consent answer (R6.2), validated on
// the server. Messages are translation keys, so the page shows them in the reader's language.
import { z } from 'zod';
import { applicantFields, email } from '../cases/applicationInput';
import { parsePhone } from '../validation/phone';

export const WORKPLACE_MAX = 200;
export const JOB_TITLE_MAX = 100;
export const ENROLMENT_MESSAGE_MAX = 2000;
export const CONSENT_COMMENT_MAX = 1000;

/** Optional here (unlike the parents' form): an empty field is no number, a bad one an error. */
const optionalPhone = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw || !raw.trim()) return '';
    const parsed = parsePhone(raw);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: 'errors.phone' });
      return z.NEVER;
    }
    return parsed;
  });

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, { error: message })
    .optional()
    .transform((v) => v ?? '');

/** Each field names its own problem (issue 16): `trainings.errors.<field>Required` and `<field>Long`. */
const requiredText = (field: string, max: number) =>
  z
    .string({ error: `trainings.errors.${field}Required` })
    .trim()
    .min(1, { error: `trainings.errors.${field}Required` })
    .max(max, { error: `trainings.errors.${field}Long` });

/** Providers that ignore dots in the local part: `m.e@gmail.com` is `me@gmail.com`. */
const DOTLESS_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address delivers to, for telling whether two addresses are one person's: lower
 * case, without a `+tag` (`me+boss@x` reaches `me@x`), and without dots where the provider ignores
 * them. Only for comparing; the address is stored as typed.
 */
export function mailboxOf(address: string): string {
  const whole = address.trim().toLowerCase();
  const at = whole.lastIndexOf('@');
  if (at < 0) return whole;
  const domain = whole.slice(at + 1).replace(/\.$/, '');
  let local = whole.slice(0, at).split('+')[0];
  if (DOTLESS_DOMAINS.has(domain)) local = local.replace(/\./g, '');
  return `${local}@${domain === 'googlemail.com' ? 'gmail.com' : domain}`;
}

/** Whether `address` is at one of `domains` or under one (`x@edu.stockholm.se` under `stockholm.se`). */
export function isAtDomain(address: string, domains: readonly string[]): boolean {
  const domain = address.trim().toLowerCase().split('@').pop()!.replace(/\.$/, '');
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/**
 * The form of a logged-in person. `ownEmail` is theirs: the manager's may not be it or a variant
 * of it (issue 14: a plus-address let a professional approve their own enrolment). Where the admin
 * has set employer domains (`managerDomains`, lib/settings.ts), the manager's address must be at one.
 */
export function enrolmentFormSchema(ownEmail: string, managerDomains: readonly string[] = []) {
  return z.object({
    name: applicantFields.name,
    phone: optionalPhone,
    workplace: requiredText('workplace', WORKPLACE_MAX),
    jobTitle: optionalText(JOB_TITLE_MAX, 'trainings.errors.jobTitleLong'),
    managerName: requiredText('managerName', 100),
    managerEmail: z
      .string({ error: 'trainings.errors.managerEmailRequired' })
      .trim()
      .min(1, { error: 'trainings.errors.managerEmailRequired' })
      .pipe(email)
      .refine((v) => mailboxOf(v) !== mailboxOf(ownEmail), { error: 'trainings.errors.ownEmail' })
      .refine((v) => !managerDomains.length || isAtDomain(v, managerDomains), { error: 'trainings.errors.managerDomain' }),
    message: optionalText(ENROLMENT_MESSAGE_MAX, 'trainings.errors.message'),
    consent: z.literal('on', { error: 'errors.consent' }),
    submissionKey: z.string().uuid({ error: 'errors.stale' }),
  });
}

export type EnrolmentForm = z.output<ReturnType<typeof enrolmentFormSchema>>;

/** What the application's answers hold: the form minus the person's own fields. Database only. */
export interface EnrolmentAnswers {
  workplace: string;
  jobTitle: string;
  managerName: string;
  managerEmail: string;
  message: string;
}

export const ConsentAnswerSchema = z.object({
  decision: z.enum(['approved', 'declined'], { error: 'trainings.consent.errors.decision' }),
  comment: optionalText(CONSENT_COMMENT_MAX, 'trainings.consent.errors.comment'),
});

