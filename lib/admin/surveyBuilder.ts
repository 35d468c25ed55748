// The survey builder (issue 16): the admin edits a new version of a survey as a form, not as JSON.
// The form carries the whole draft (each question's fields, numbered), so every step (add,
// move, remove, preview) is a plain post that returns the form again; htmx only swaps it in place.
// Publishing checks the draft with zod (a message beside each field) and then with the schema the
// answer forms are built from (lib/surveys/definitions.ts).
import { z } from 'zod';
import { QuestionsSchema, SCALE_ANCHORS, type Question } from '../surveys/definitions';

export const QUESTION_TYPES = ['scale', 'single', 'multiple', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
/** Enough for any survey a parent should be asked to fill in; a crafted count is cut here. */
export const MAX_QUESTIONS = 40;
export const MAX_OPTIONS = 12;
export const TEXT_MAX = 500;
export const TITLE_MAX = 200;

export interface DraftOption {
  value: string;
  text: string;
  /** Translations of the option, kept as they were (JSON): the builder edits the Swedish text. */
  tr: string;
}

export interface DraftQuestion {
  id: string;
  type: QuestionType;
  text: string;
  required: boolean;
  anchors: (typeof SCALE_ANCHORS)[number];
  tr: string;
  options: DraftOption[];
}

export interface Draft {
  title: string;
  questions: DraftQuestion[];
}

const isChoice = (type: QuestionType) => type === 'single' || type === 'multiple';
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const count = (v: unknown, max: number) => Math.min(max, Math.max(0, Number.parseInt(str(v), 10) || 0));
const trOf = (t: Record<string, string> | undefined) => (t && Object.keys(t).length ? JSON.stringify(t) : '');

/** The draft of a stored version: the builder starts from the newest one. */
export function draftFromQuestions(title: string, questions: Question[]): Draft {
  return {
    title,
    questions: questions.map((q) => ({
      id: q.id,
      type: q.type,
      text: q.text,
      required: q.required,
      anchors: q.type === 'scale' ? q.anchors : 'amount',
      tr: trOf(q.translations),
      options: 'options' in q ? q.options.map((o) => ({ value: o.value, text: o.text, tr: trOf(o.translations) })) : [],
    })),
  };
}

/** The draft as the form sent it (any field may be missing or wrong: the checks come at publishing). */
export function readDraft(form: Record<string, unknown>): Draft {
  const questions: DraftQuestion[] = [];
  for (let i = 0; i < count(form.count, MAX_QUESTIONS); i++) {
    const p = `q${i}_`;
    const type = (QUESTION_TYPES as readonly string[]).includes(str(form[`${p}type`])) ? (str(form[`${p}type`]) as QuestionType) : 'text';
    const anchors = (SCALE_ANCHORS as readonly string[]).includes(str(form[`${p}anchors`])) ? (str(form[`${p}anchors`]) as DraftQuestion['anchors']) : 'amount';
    const options: DraftOption[] = [];
    for (let j = 0; j < count(form[`${p}optionCount`], MAX_OPTIONS); j++) {
      options.push({ value: str(form[`${p}o${j}_value`]), text: str(form[`${p}o${j}_text`]), tr: str(form[`${p}o${j}_tr`]) });
    }
    questions.push({ id: str(form[`${p}id`]), type, text: str(form[`${p}text`]), required: form[`${p}required`] === 'yes', anchors, tr: str(form[`${p}tr`]), options });
  }
  return { title: str(form.title), questions };
}

/** A name not taken yet: "fraga3", "alt2". */
function freshName(prefix: string, taken: string[]): string {
  for (let n = taken.length + 1; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

function newOption(options: DraftOption[]): DraftOption {
  return { value: freshName('alt', options.map((o) => o.value)), text: '', tr: '' };
}

export function newQuestion(type: QuestionType, draft: Draft): DraftQuestion {
  const q: DraftQuestion = { id: freshName('fraga', draft.questions.map((x) => x.id)), type, text: '', required: true, anchors: 'amount', tr: '', options: [] };
  if (isChoice(type)) q.options = [newOption([]), newOption([{ value: 'alt1', text: '', tr: '' }])];
  return q;
}

/** The builder's steps, as the pressed button names them: "add:scale", "up:2", "removeOption:1:0" … */
const Action = z.union([
  z.templateLiteral(['add:', z.enum(QUESTION_TYPES)]),
  z.templateLiteral([z.enum(['up', 'down', 'remove', 'addOption']), ':', z.number().int().min(0)]),
  z.templateLiteral(['removeOption:', z.number().int().min(0), ':', z.number().int().min(0)]),
]);

/** The draft after one builder step; null for a step that is not one (the form shows it unchanged). */
export function applyAction(draft: Draft, action: string): Draft | null {
  if (!Action.safeParse(action).success) return null;
  const [verb, a, b] = action.split(':');
  const questions = [...draft.questions];
  const i = Number(a);
  if (verb === 'add') {
    if (questions.length >= MAX_QUESTIONS) return null;
    return { ...draft, questions: [...questions, newQuestion(a as QuestionType, draft)] };
  }
  if (!(i < questions.length)) return null;
  switch (verb) {
    case 'up':
    case 'down': {
      const j = verb === 'up' ? i - 1 : i + 1;
      if (j < 0 || j >= questions.length) return null;
      [questions[i], questions[j]] = [questions[j], questions[i]];
      return { ...draft, questions };
    }
    case 'remove':
      questions.splice(i, 1);
      return { ...draft, questions };
    case 'addOption': {
      const q = questions[i];
      if (!isChoice(q.type) || q.options.length >= MAX_OPTIONS) return null;
      questions[i] = { ...q, options: [...q.options, newOption(q.options)] };
      return { ...draft, questions };
    }
    case 'removeOption': {
      const q = questions[i];
      const j = Number(b);
      if (!(j < q.options.length)) return null;
      questions[i] = { ...q, options: q.options.filter((_, k) => k !== j) };
      return { ...draft, questions };
    }
  }
  return null;
}

// ---- publishing -------------------------------------------------------------------------------

const text = (required: string, long: string, max: number) => z.string().trim().min(1, required).max(max, long);
const translations = z
  .string()
  .transform((raw, ctx) => {
    if (!raw.trim()) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'admin.surveys.builder.errors.translations' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().regex(/^[a-z]{2}$/), z.string().min(1)).optional().catch(undefined));

const OptionSchema = z.object({
  value: z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'admin.surveys.builder.errors.invalid'),
  text: text('admin.surveys.builder.errors.optionText', 'admin.surveys.builder.errors.optionLong', TEXT_MAX),
  tr: translations,
});

const QuestionDraftSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'admin.surveys.builder.errors.invalid'),
    type: z.enum(QUESTION_TYPES),
    text: text('admin.surveys.builder.errors.text', 'admin.surveys.builder.errors.textLong', TEXT_MAX),
    required: z.boolean(),
    anchors: z.enum(SCALE_ANCHORS),
    tr: translations,
    options: z.array(OptionSchema),
  })
  .superRefine((q, ctx) => {
    if (isChoice(q.type) && q.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'admin.surveys.builder.errors.options' });
    if (isChoice(q.type) && new Set(q.options.map((o) => o.text.trim().toLowerCase())).size !== q.options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'admin.surveys.builder.errors.sameOption' });
    }
  });

const DraftSchema = z.object({
  title: text('errors.required', 'errors.tooLong', TITLE_MAX),
  questions: z.array(QuestionDraftSchema).min(1, 'admin.surveys.builder.errors.none'),
});

export type DraftCheck = { ok: true; title: string; questions: Question[] } | { ok: false; errors: Record<string, string> };

/** The form field an issue belongs to: "title", "q2_text", "q1_o0_text", "q0_options", "questions". */
function fieldOf(path: PropertyKey[]): string {
  const [top, i, field, j, sub] = path.map(String);
  if (top !== 'questions' || i === undefined) return top ?? 'questions';
  if (field === 'options' && j !== undefined) return `q${i}_o${j}_${sub === 'tr' ? 'text' : (sub ?? 'text')}`;
  if (field === 'tr' || field === 'id' || field === 'type' || field === 'anchors') return `q${i}_text`;
  return `q${i}_${field ?? 'text'}`;
}

/** The draft as a survey's questions, or a message for each field that is wrong (in form order). */
export function checkDraft(draft: Draft): DraftCheck {
  const parsed = DraftSchema.safeParse(draft);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path);
      if (!errors[field]) errors[field] = issue.message.includes('.') ? issue.message : 'admin.surveys.builder.errors.invalid';
    }
    return { ok: false, errors };
  }
  const questions = parsed.data.questions.map((q) => {
    const base = { id: q.id, text: q.text, required: q.required, ...(q.tr ? { translations: q.tr } : {}) };
    const options = q.options.map((o) => ({ value: o.value, text: o.text, ...(o.tr ? { translations: o.tr } : {}) }));
    return q.type === 'scale' ? { ...base, type: q.type, anchors: q.anchors } : q.type === 'text' ? { ...base, type: q.type } : { ...base, type: q.type, options };
  });
  // The same schema the answer forms are built from: ids and values unique, and so on.
  const final = QuestionsSchema.safeParse(questions);
  if (!final.success) return { ok: false, errors: { questions: 'admin.surveys.builder.errors.duplicate' } };
  return { ok: true, title: parsed.data.title, questions: final.data };
}
