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

/** The form of a logged-in person; `ownEmail` is theirs, which cannot be the manager's. */
export function enrolmentFormSchema(ownEmail: string) {
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
      .refine((v) => v !== ownEmail.trim().toLowerCase(), { error: 'trainings.errors.ownEmail' }),
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

