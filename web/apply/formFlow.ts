// The citizen's form journey, as GOV.UK and Digg describe it (issue 16), shared by the parents'
// application and the professionals' enrolment: fill in → "check your answers" (each with a change
// link) → send. The answers between the steps are the person's draft (lib/cases/drafts), which they
// may also save on purpose and take up again from Mina ärenden. Plain form posts; the button says
// which step: `step=save`, `step=check` (the default: nothing is sent without its own button), `step=send`.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { z } from 'zod';
import { deleteDraftFor, DRAFT_DAYS, draftAnswers, saveDraft, type DraftAnswers } from '../../lib/cases/drafts';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import type { AppEnv } from '../context';
import { render } from '../render';

export type FormStep = 'save' | 'check' | 'send';

export function formStep(form: Record<string, unknown>): FormStep {
  return form.step === 'save' || form.step === 'send' ? form.step : 'check';
}

/** One answer on the check page; `field` is the form field its change link leads to. */
export interface CheckRow {
  field: string;
  label: string;
  value: string;
  hint?: string;
  /** False for what the form does not ask (the login e-mail). */
  changeable?: boolean;
}

export interface CheckPage {
  /** The form's path: change links go to its fields, the send form posts to it. */
  formPath: string;
  courseName: string;
  rows: CheckRow[];
  /** The answers as typed, sent again with the consent (they are checked once more). */
  hidden: Record<string, string>;
  consentLabel: string;
  submitLabel: string;
  errors?: Record<string, string>;
}

export function showCheckPage(c: Context<AppEnv>, page: CheckPage) {
  const errors = page.errors && Object.keys(page.errors).length ? page.errors : undefined;
  return render(c, '/apply/views/check', { title: c.get('t')('forms.check.title'), ...page, errors }, errors ? 422 : 200);
}

/** What the forms say about drafts: how long one is kept, and until when the resumed one is. */
export function draftInfo(resumedUntil: Date | null) {
  return { draftDays: DRAFT_DAYS, resumedUntil };
}

export interface FormPost<T> {
  courseId: string;
  /** What a draft keeps: the form's fields and its submissionKey. */
  draftFields: readonly string[];
  /** The answers alone, before the check page. */
  answers: z.ZodType;
  /** The answers with the consent, when sent. */
  sendable: z.ZodType<T>;
  checkPath: string;
  /** Answers the person cannot change (a personnummer proved by e-ID): they replace what was posted. */
  fixed?: Record<string, string>;
  showForm(values: DraftAnswers, errors: Record<string, string>): Response | Promise<Response>;
  showCheck(values: DraftAnswers, errors: Record<string, string>): Response | Promise<Response>;
  /** Submits; the draft is deleted once the case exists (`done`), the answer is the caller's. */
  send(data: T, values: DraftAnswers): Promise<{ done: boolean; response: Response }>;
}

/** One POST for the three steps: save the draft, go to the check page, or send. */
export async function handleFormPost<T>(c: Context<AppEnv>, flow: FormPost<T>): Promise<Response> {
  const form = { ...(await c.req.parseBody()), ...flow.fixed };
  const { db } = c.get('deps');
  const personId = c.get('user')!.id;
  const values = { ...draftAnswers(form, flow.draftFields), submissionKey: typeof form.submissionKey === 'string' ? form.submissionKey : randomUUID() };
  const step = formStep(form);
  if (step === 'save') {
    // Saved as typed, mistakes and all: the person comes back to put them right.
    await saveDraft(db, personId, flow.courseId, values);
    return c.redirect('/mina-arenden?utkast=sparat#utkast', 303);
  }
  if (step === 'check') {
    const answers = flow.answers.safeParse(form);
    if (!answers.success) return flow.showForm(values, fieldErrors(answers.error));
    await saveDraft(db, personId, flow.courseId, values);
    return c.redirect(flow.checkPath, 303);
  }
  const parsed = flow.sendable.safeParse(form);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    // Only the consent missing: back to the check page, where it is asked; else to the form.
    return Object.keys(errors).every((field) => field === 'consent') ? flow.showCheck(values, errors) : flow.showForm(values, errors);
  }
  const sent = await flow.send(parsed.data, values);
  if (sent.done) await deleteDraftFor(db, personId, flow.courseId);
  return sent.response;
}
