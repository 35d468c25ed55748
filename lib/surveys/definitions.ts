// Surveys as data (R2.7, R3.3, R4.3): a definition's questions are validated here, and the same
// questions build the validator of a parent's answers. Messages are translation keys.
import { z } from 'zod';

export const SCALE_MIN = 1;
export const SCALE_MAX = 5;
export const TEXT_MAX = 2000;

export const SCALE_ANCHORS = ['amount', 'agree', 'frequency'] as const;

/** Form fields the answer form uses itself; a question id must not take them. */
const RESERVED_IDS = ['_csrf', 'pairingCode'];

/** Texts are Swedish; other languages are optional translations keyed by language code. */
const translations = z.record(z.string().regex(/^[a-z]{2}$/), z.string().min(1)).optional();

const option = z.object({
  value: z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/),
  text: z.string().min(1),
  translations,
});

const base = {
  id: z
    .string()
    .regex(/^[a-z][a-zA-Z0-9]{0,39}$/)
    .refine((id) => !RESERVED_IDS.includes(id)),
  text: z.string().min(1),
  translations,
  required: z.boolean().default(true),
};

export const QuestionSchema = z.discriminatedUnion('type', [
  // The words at the ends of the 1–5 scale; the texts are translation keys (surveys.anchors.*).
  z.object({ ...base, type: z.literal('scale'), anchors: z.enum(SCALE_ANCHORS).default('amount') }),
  z.object({ ...base, type: z.literal('single'), options: z.array(option).min(2) }),
  z.object({ ...base, type: z.literal('multiple'), options: z.array(option).min(2) }),
  z.object({ ...base, type: z.literal('text') }),
]);

export const QuestionsSchema = z
  .array(QuestionSchema)
  .min(1)
  .superRefine((questions, ctx) => {
    const ids = new Set<string>();
    for (const q of questions) {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', message: `duplicate question id ${q.id}` });
      ids.add(q.id);
      if ('options' in q && new Set(q.options.map((o) => o.value)).size !== q.options.length) {
        ctx.addIssue({ code: 'custom', message: `duplicate option value in ${q.id}` });
      }
    }
  });

export type Question = z.infer<typeof QuestionSchema>;
export type ChoiceQuestion = Extract<Question, { type: 'single' | 'multiple' }>;
export type Answer = number | string | string[];
export type Answers = Record<string, Answer>;

/** The questions of a stored definition; a broken definition is a programming error. */
export function parseQuestions(json: unknown): Question[] {
  return QuestionsSchema.parse(json);
}

/** The text in the reader's language, Swedish when there is no translation. */
export function localized(item: { text: string; translations?: Record<string, string> }, lang: string): string {
  return item.translations?.[lang] ?? item.text;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function scaleAnswer(q: Question) {
  return z.unknown().transform((raw, ctx): number | undefined => {
    if (blank(raw)) {
      if (q.required) ctx.addIssue({ code: 'custom', message: 'surveys.errors.required' });
      return undefined;
    }
    const n = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < SCALE_MIN || n > SCALE_MAX) {
      ctx.addIssue({ code: 'custom', message: 'surveys.errors.scale' });
      return z.NEVER;
    }
    return n;
  });
}

function singleAnswer(q: ChoiceQuestion) {
  const values = q.options.map((o) => o.value);
  return z.unknown().transform((raw, ctx): string | undefined => {
    if (blank(raw)) {
      if (q.required) ctx.addIssue({ code: 'custom', message: 'surveys.errors.required' });
      return undefined;
    }
    if (typeof raw !== 'string' || !values.includes(raw)) {
      ctx.addIssue({ code: 'custom', message: 'surveys.errors.option' });
      return z.NEVER;
    }
    return raw;
  });
}

function multipleAnswer(q: ChoiceQuestion) {
  const values = q.options.map((o) => o.value);
  return z.unknown().transform((raw, ctx): string[] | undefined => {
    const list = blank(raw) ? [] : Array.isArray(raw) ? raw : [raw];
    if (list.some((v) => typeof v !== 'string' || !values.includes(v))) {
      ctx.addIssue({ code: 'custom', message: 'surveys.errors.option' });
      return z.NEVER;
    }
    if (!list.length) {
      if (q.required) ctx.addIssue({ code: 'custom', message: 'surveys.errors.requiredChoice' });
      return undefined;
    }
    // Stored in the definition's order, once each.
    return values.filter((v) => list.includes(v));
  });
}

function textAnswer(q: Question) {
  return z.unknown().transform((raw, ctx): string | undefined => {
    if (raw !== undefined && typeof raw !== 'string') {
      ctx.addIssue({ code: 'custom', message: 'surveys.errors.invalid' });
      return z.NEVER;
    }
    const text = (raw ?? '').trim();
    if (text.length > TEXT_MAX) {
      ctx.addIssue({ code: 'custom', message: 'surveys.errors.tooLong' });
      return z.NEVER;
    }
    if (!text) {
      if (q.required) ctx.addIssue({ code: 'custom', message: 'surveys.errors.required' });
      return undefined;
    }
    return text;
  });
}

function answerSchema(q: Question) {
  switch (q.type) {
    case 'scale':
      return scaleAnswer(q);
    case 'single':
      return singleAnswer(q);
    case 'multiple':
      return multipleAnswer(q);
    case 'text':
      return textAnswer(q);
  }
}

/** A form's answers to these questions: unanswered optional questions are left out. */
export function answersValidator(questions: Question[]) {
  const shape = Object.fromEntries(questions.map((q) => [q.id, answerSchema(q)]));
  return z.object(shape).transform((parsed) => {
    const out: Answers = {};
    for (const [id, value] of Object.entries(parsed)) if (value !== undefined) out[id] = value as Answer;
    return out;
  });
}

export type AnswerCheck = { ok: true; answers: Answers } | { ok: false; errors: Record<string, string> };

/** Validates a posted form (strings, or arrays for repeated fields) against the questions. */
export function checkAnswers(questions: Question[], form: Record<string, unknown>): AnswerCheck {
  const errors: Record<string, string> = {};
  // Two values for a one-value question (a tampered form) is a wrong type, not "the last one wins".
  for (const q of questions) if (q.type !== 'multiple' && Array.isArray(form[q.id])) errors[q.id] = 'surveys.errors.invalid';
  const input = Object.fromEntries(questions.map((q) => [q.id, errors[q.id] ? undefined : form[q.id]]));
  const parsed = answersValidator(questions).safeParse(input);
  if (parsed.success && !Object.keys(errors).length) return { ok: true, answers: parsed.data };
  for (const issue of parsed.error?.issues ?? []) {
    const field = String(issue.path[0] ?? '_form');
    if (!errors[field]) errors[field] = issue.message.startsWith('surveys.errors.') ? issue.message : 'surveys.errors.invalid';
  }
  // In the form's order, so the error summary reads top to bottom.
  return { ok: false, errors: Object.fromEntries(questions.filter((q) => errors[q.id]).map((q) => [q.id, errors[q.id]])) };
}
