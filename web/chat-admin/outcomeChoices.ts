// The answers a counsellor chooses a chat's outcome from (issue 17), beside the chat's other
// settings: for each question (topic, age band, result) add, rename, reorder, mark a result as an
// early support effort, retire and restore; a choice never used can be deleted after a
// confirmation, one in use only retired (lib/chat/outcomeChoices.ts). Admins only (the chat
// admin's guard covers these paths). Plain forms, upgraded by htmx; a bad form re-renders with
// 422 and the message beside the field, and stores nothing.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  addChoice,
  ChoiceForm,
  choicesWithUses,
  deleteChoice,
  editChoice,
  findChoice,
  moveChoice,
  restoreChoice,
  retireChoice,
  usesOfChoice,
  type ChoiceAction,
} from '../../lib/chat/outcomeChoices';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { hasEarlySupport, isOutcomeField, OUTCOME_FIELDS, OUTCOME_LABEL_MAX, type OutcomeField } from '../../rules/chatOutcome';
import { flashCode, formValues } from '../admin/form';
import type { AppEnv } from '../context';
import { invalidFormStatus } from '../messages/panel';
import { render } from '../render';

export const OUTCOME_CHOICES_PATH = '/personal/admin/chatt/utfall';

const FLASHES = ['added', 'saved', 'moved', 'retired', 'restored', 'deleted'] as const;
const PROBLEMS = ['in-use', 'last-active', 'label-taken', 'retired'] as const;

type Ctx = Context<AppEnv>;
type Errors = Record<string, string>;

/** The add form's fields are named per question, so the three forms on the page keep their own. */
const labelField = (field: OutcomeField) => `${field}Label`;
const earlyField = (field: OutcomeField) => `${field}EarlySupport`;

async function showPage(c: Ctx, state: { field?: OutcomeField; values?: Record<string, string>; errors?: Errors } = {}) {
  const errors = state.errors ?? {};
  return render(
    c,
    '/chat-admin/views/outcomeChoices',
    {
      title: c.get('t')('chatAdmin.outcomes.title'),
      fields: OUTCOME_FIELDS,
      choices: await choicesWithUses(c.get('deps').db),
      values: state.values ?? {},
      errors,
      section: state.field,
      labelMax: OUTCOME_LABEL_MAX,
      hasEarlySupport,
      flash: flashCode(c.req.query('klart'), FLASHES),
      problem: flashCode(c.req.query('fel'), PROBLEMS),
    },
    Object.keys(errors).length ? invalidFormStatus(c) : 200,
  );
}

async function choiceOf(c: Ctx) {
  const choice = await findChoice(c.get('deps').db, c.req.param('id') ?? '');
  if (!choice) throw new HTTPException(404);
  return choice;
}

function showEdit(c: Ctx, choice: Awaited<ReturnType<typeof choiceOf>>, values: Record<string, string>, errors: Errors = {}) {
  return render(
    c,
    '/chat-admin/views/outcomeChoiceEdit',
    { title: c.get('t')('chatAdmin.outcomes.editTitle'), choice, values, errors, labelMax: OUTCOME_LABEL_MAX, earlySupport: hasEarlySupport(choice.field) },
    Object.keys(errors).length ? invalidFormStatus(c) : 200,
  );
}

/** Back to the list, at the question's section, with what was done or why not. */
function back(c: Ctx, field: OutcomeField, result: ChoiceAction, flash: (typeof FLASHES)[number]) {
  if (!result.ok && result.code === 'not-found') throw new HTTPException(404);
  const query = result.ok ? `klart=${flash}` : `fel=${result.code}`;
  return c.redirect(`${OUTCOME_CHOICES_PATH}?${query}#${field}-heading`, 303);
}

export function outcomeChoiceRoutes() {
  const app = new Hono<AppEnv>();

  app.get(OUTCOME_CHOICES_PATH, (c) => showPage(c));

  app.post(OUTCOME_CHOICES_PATH, async (c) => {
    const body = await c.req.parseBody();
    const field = body.field;
    if (!isOutcomeField(field)) return showPage(c, { errors: { _form: 'chatAdmin.outcomes.errors.field' } });
    const values = formValues(body, [labelField(field), earlyField(field)]);
    const parsed = ChoiceForm.safeParse({ label: values[labelField(field)], earlySupport: values[earlyField(field)] });
    const rename = (errors: Errors) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k === 'label' ? labelField(field) : k, v]));
    if (!parsed.success) return showPage(c, { field, values, errors: rename(fieldErrors(parsed.error)) });
    const added = await addChoice(c.get('deps').db, field, parsed.data);
    if (!added.ok) return showPage(c, { field, values, errors: rename(added.errors) });
    return c.redirect(`${OUTCOME_CHOICES_PATH}?klart=added#${field}-heading`, 303);
  });

  app.get(`${OUTCOME_CHOICES_PATH}/:id`, async (c) => {
    const choice = await choiceOf(c);
    return showEdit(c, choice, { label: choice.label, earlySupport: choice.earlySupport ? 'on' : '' });
  });

  app.post(`${OUTCOME_CHOICES_PATH}/:id`, async (c) => {
    const choice = await choiceOf(c);
    const values = formValues(await c.req.parseBody(), ['label', 'earlySupport']);
    const parsed = ChoiceForm.safeParse(values);
    if (!parsed.success) return showEdit(c, choice, values, fieldErrors(parsed.error));
    const saved = await editChoice(c.get('deps').db, choice.id, parsed.data);
    if (!saved.ok) {
      if ('code' in saved) throw new HTTPException(404);
      return showEdit(c, choice, values, saved.errors);
    }
    return c.redirect(`${OUTCOME_CHOICES_PATH}?klart=saved#${choice.field}-heading`, 303);
  });

  app.post(`${OUTCOME_CHOICES_PATH}/:id/flytta`, async (c) => {
    const choice = await choiceOf(c);
    const { riktning } = formValues(await c.req.parseBody(), ['riktning']);
    if (riktning !== 'upp' && riktning !== 'ned') return back(c, choice.field, { ok: true }, 'moved');
    return back(c, choice.field, await moveChoice(c.get('deps').db, choice.id, riktning === 'upp' ? 'up' : 'down'), 'moved');
  });

  app.post(`${OUTCOME_CHOICES_PATH}/:id/avveckla`, async (c) => {
    const choice = await choiceOf(c);
    return back(c, choice.field, await retireChoice(c.get('deps').db, choice.id), 'retired');
  });

  app.post(`${OUTCOME_CHOICES_PATH}/:id/aterstall`, async (c) => {
    const choice = await choiceOf(c);
    return back(c, choice.field, await restoreChoice(c.get('deps').db, choice.id), 'restored');
  });

  // Deleting asks first (a confirmation page, or htmx's dialog that sends confirm=yes).
  app.post(`${OUTCOME_CHOICES_PATH}/:id/ta-bort`, async (c) => {
    const choice = await choiceOf(c);
    const { confirm } = formValues(await c.req.parseBody(), ['confirm']);
    if (confirm !== 'yes') {
      const uses = await usesOfChoice(c.get('deps').db, choice.id);
      return render(c, '/chat-admin/views/outcomeChoiceRemove', { title: c.get('t')('chatAdmin.outcomes.removeTitle'), choice, uses });
    }
    return back(c, choice.field, await deleteChoice(c.get('deps').db, choice.id), 'deleted');
  });

  return app;
}
