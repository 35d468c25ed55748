// The application's fields, validated once for both the web form and the API (R2.1, R11.3).
// Messages are translation keys, so each caller shows them in the person's language; each says
// what is wrong with that field and how to put it right (GOV.UK's error messages, issue 16).
import { z } from 'zod';
import { parsePersonnummer } from '../validation/personnummer';
import { parsePhone } from '../validation/phone';

export const MESSAGE_MAX = 1000;

const personnummer = z.string({ error: 'errors.applicant.personnummerRequired' }).transform((raw, ctx) => {
  if (!raw.trim()) {
    ctx.addIssue({ code: 'custom', message: 'errors.applicant.personnummerRequired' });
    return z.NEVER;
  }
  const parsed = parsePersonnummer(raw);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `errors.personnummer.${parsed.error}` });
    return z.NEVER;
  }
  return parsed.value;
});

const phone = z.string({ error: 'errors.applicant.phoneRequired' }).transform((raw, ctx) => {
  if (!raw.trim()) {
    ctx.addIssue({ code: 'custom', message: 'errors.applicant.phoneRequired' });
    return z.NEVER;
  }
  const parsed = parsePhone(raw);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: 'errors.phone' });
    return z.NEVER;
  }
  return parsed;
});

/** Child's age: Komet serves parents of children 0–18 (the general programme too). */
const childAge = z.preprocess(
  // An empty field is missing, not age 0 (z.coerce would turn '' and null into 0).
  (v) => (v === '' || v === null || v === undefined || typeof v === 'boolean' ? undefined : typeof v === 'string' ? Number(v.trim()) : v),
  z
    .number({ error: (issue) => (issue.input === undefined ? 'errors.applicant.childAgeRequired' : 'errors.applicant.childAgeNumber') })
    .int({ error: 'errors.applicant.childAgeNumber' })
    .min(0, { error: 'errors.childAge' })
    .max(18, { error: 'errors.childAge' }),
);

export const applicantFields = {
  name: z
    .string({ error: 'errors.applicant.nameRequired' })
    .trim()
    .min(1, { error: 'errors.applicant.nameRequired' })
    .min(2, { error: 'errors.applicant.nameShort' })
    .max(100, { error: 'errors.applicant.nameLong' }),
  personnummer,
  phone,
  childAge,
  message: z
    .string()
    .trim()
    .max(MESSAGE_MAX, { error: 'errors.message' })
    .optional()
    .transform((v) => v ?? ''),
};

export const email = z.string({ error: 'errors.required' }).trim().toLowerCase().max(254, { error: 'errors.tooLong' }).pipe(z.email({ error: 'errors.email' }));

/** The web form's answers, checked before the "check your answers" page; the e-mail is the logged-in person's own. */
export const ApplicationAnswersSchema = z.object({
  ...applicantFields,
  submissionKey: z.string().uuid({ error: 'errors.stale' }),
});

/** What the form's fields are, in the order the form and the check page show them. */
export const APPLICATION_FIELDS = ['name', 'personnummer', 'phone', 'childAge', 'message'] as const;

/** Sending: the answers once more, and the consent ticked on the check page. */
export const ApplicationFormSchema = ApplicationAnswersSchema.extend({
  consent: z.literal('on', { error: 'errors.consent' }),
});

/** The integration API: the city's portal submits for an identified citizen. */
export const ApplicationApiSchema = z.object({
  courseId: z.string().uuid({ error: 'errors.courseId' }),
  email,
  ...applicantFields,
  personnummer: z
    .string({ error: 'errors.required' })
    .regex(/^\d{8}-\d{4}$/, { error: 'errors.personnummer.apiFormat' })
    .pipe(personnummer),
});

export type ApplicantDetails = {
  name: string;
  personnummer: string;
  phone: string;
  childAge: number;
  message: string;
};

