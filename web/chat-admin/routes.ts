// The admin's chat settings (R10.2–R10.4): opening hours per weekday, dated exceptions (holidays,
// shortened days), how long transcripts are kept, when a silent visitor is asked and let go, how
// many conversations a counsellor holds at once, the guidelines and the prepared texts; and the
// staffing: who holds the counsellor role and who is on duty now. The answers for a chat's outcome
// have their page beside it (web/chat-admin/outcomeChoices.ts). Each section is its own form,
// checked with the pieces of ChatSettingsSchema; a bad form re-renders with 422 and the message
// beside the field, and nothing is stored. Removals go through a confirmation.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import {
  ChatSettingsSchema,
  ExceptionSchema,
  loadChatSettings,
  PreparedTextSchema,
  saveChatSettings,
  TimeRangeSchema,
  WEEKDAYS,
  type ChatSettings,
  type OpeningException,
  type TimeRange,
} from '../../lib/chat/chatSettings';
import { stockholmDateString } from '../../lib/time';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { flashCode, formValues } from '../admin/form';
import { GRANTS_PAGE } from '../admin/grants';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireArea } from '../security/guards';
import { isCalendarDay, wholeNumber } from '../../lib/validation/formFields';
import { OUTCOME_CHOICES_PATH, outcomeChoiceRoutes } from './outcomeChoices';

export const CHAT_ADMIN_PATH = '/personal/admin/chatt';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Ranges per weekday and per exception that the form offers. */
export const RANGES_PER_DAY = 2;
const EXCEPTIONS_PER_PAGE = 25;
/** PreparedTextSchema's limits, for the fields' maxlength. */
export const TEXT_TITLE_MAX = PreparedTextSchema.shape.title.maxLength!;
export const TEXT_BODY_MAX = PreparedTextSchema.shape.body.maxLength!;
const FLASHES = ['hours', 'exceptionAdded', 'exceptionRemoved', 'rules', 'guidelines', 'textAdded', 'textSaved', 'textRemoved'] as const;
type Section = 'hours' | 'exception' | 'rules' | 'guidelines' | 'text';

type Values = Record<string, string>;
type Errors = Record<string, string>;

// ---- parsing the forms -------------------------------------------------------------------------

/** One optional range from two fields: both empty = none; otherwise it must be a valid range. */
function parseRange(values: Values, prefix: string, errors: Errors): TimeRange | null {
  const from = (values[`${prefix}-from`] ?? '').trim();
  const to = (values[`${prefix}-to`] ?? '').trim();
  if (!from && !to) return null;
  const parsed = TimeRangeSchema.safeParse({ from, to });
  if (parsed.success) return parsed.data;
  for (const [field, key] of Object.entries(fieldErrors(parsed.error))) errors[`${prefix}-${field}`] ??= key;
  return null;
}

/** Up to RANGES_PER_DAY ranges, in order, not overlapping. */
function parseRanges(values: Values, prefix: string, errors: Errors): TimeRange[] {
  const ranges: TimeRange[] = [];
  for (let i = 0; i < RANGES_PER_DAY; i++) {
    const range = parseRange(values, `${prefix}-${i}`, errors);
    if (!range) continue;
    const previous = ranges.at(-1);
    if (previous && range.from < previous.to) {
      errors[`${prefix}-${i}-from`] ??= 'chatAdmin.errors.overlap';
      continue;
    }
    ranges.push(range);
  }
  return ranges;
}

const rangeFieldNames = (prefix: string) =>
  Array.from({ length: RANGES_PER_DAY }, (_, i) => [`${prefix}-${i}-from`, `${prefix}-${i}-to`]).flat();
const HOURS_FIELDS = WEEKDAYS.flatMap((d) => rangeFieldNames(d));
const EXCEPTION_FIELDS = ['exDate', 'exKind', 'exNote', ...rangeFieldNames('ex')];
const RULE_FIELDS = ['retentionHours', 'inactivityAskMinutes', 'inactivityCloseMinutes', 'maxPerCounsellor', 'maxQueue', 'startsPerAddress'] as const;



const shape = ChatSettingsSchema.shape;
const RulesForm = z.object({
  retentionHours: wholeNumber(0, shape.retentionMs.maxValue! / HOUR),
  inactivityAskMinutes: wholeNumber(1, shape.inactivityAskMs.maxValue! / MINUTE),
  inactivityCloseMinutes: wholeNumber(1, shape.inactivityCloseMs.maxValue! / MINUTE),
  maxPerCounsellor: wholeNumber(shape.maxPerCounsellor.minValue!, shape.maxPerCounsellor.maxValue!),
  maxQueue: wholeNumber(shape.maxQueue.minValue!, shape.maxQueue.maxValue!),
  startsPerAddress: wholeNumber(shape.startsPerAddress.minValue!, shape.startsPerAddress.maxValue!),
});

function rulesValues(s: ChatSettings): Values {
  return {
    retentionHours: String(Math.round(s.retentionMs / HOUR)),
    inactivityAskMinutes: String(Math.max(1, Math.round(s.inactivityAskMs / MINUTE))),
    inactivityCloseMinutes: String(Math.max(1, Math.round(s.inactivityCloseMs / MINUTE))),
    maxPerCounsellor: String(s.maxPerCounsellor),
    maxQueue: String(s.maxQueue),
    startsPerAddress: String(s.startsPerAddress),
  };
}

function hoursValues(s: ChatSettings): Values {
  const values: Values = {};
  for (const day of WEEKDAYS) {
    s.weekly[day].slice(0, RANGES_PER_DAY).forEach((r, i) => {
      values[`${day}-${i}-from`] = r.from;
      values[`${day}-${i}-to`] = r.to;
    });
  }
  return values;
}

// ---- the page ----------------------------------------------------------------------------------

interface PageState {
  section?: Section;
  values?: Values;
  errors?: Errors;
}

async function staffing(c: Context<AppEnv>) {
  const db = c.get('deps').db;
  const grants = await db.roleGrant.findMany({
    where: { role: 'counsellor' },
    select: { person: { select: { id: true, name: true, email: true, chatDuty: { select: { since: true } } } } },
    orderBy: { person: { email: 'asc' } },
  });
  const people = [...new Map(grants.map((g) => [g.person.id, g.person])).values()];
  const open = await db.chatConversation.groupBy({
    by: ['counsellorId'],
    where: { status: 'active', counsellorId: { in: people.map((p) => p.id) } },
    _count: { _all: true },
  });
  const openBy = new Map(open.map((o) => [o.counsellorId, o._count._all]));
  return people
    .map((p) => ({ name: p.name, email: p.email, onDutySince: p.chatDuty?.since ?? null, open: openBy.get(p.id) ?? 0 }))
    .sort((a, b) => Number(!!b.onDutySince) - Number(!!a.onDutySince) || a.email.localeCompare(b.email));
}

async function showPage(c: Context<AppEnv>, state: PageState = {}) {
  const settings = await loadChatSettings(c.get('deps').db);
  const t = c.get('t');
  const errors = state.errors ?? {};
  const section = state.section;
  const today = stockholmDateString(new Date());
  const exceptions = [...settings.exceptions].sort((a, b) => a.date.localeCompare(b.date));
  const pages = Math.max(1, Math.ceil(exceptions.length / EXCEPTIONS_PER_PAGE));
  // Without a page asked for, start on the page with the first upcoming exception.
  const firstUpcoming = Math.max(0, exceptions.findIndex((e) => e.date >= today));
  const asked = Number.parseInt(c.req.query('sida') ?? '', 10);
  const page = Math.min(pages, Math.max(1, Number.isFinite(asked) ? asked : Math.floor(firstUpcoming / EXCEPTIONS_PER_PAGE) + 1));
  const values = {
    hours: section === 'hours' ? state.values! : hoursValues(settings),
    exception: section === 'exception' ? state.values! : { exKind: 'closed' },
    rules: section === 'rules' ? state.values! : rulesValues(settings),
    guidelines: section === 'guidelines' ? state.values! : { guidelines: settings.guidelines },
    text: section === 'text' ? state.values! : {},
  };
  return render(
    c,
    '/chat-admin/views/settings',
    {
      title: t('chatAdmin.title'),
      settings,
      weekdays: WEEKDAYS,
      rangesPerDay: RANGES_PER_DAY,
      values,
      errors,
      section,
      exceptions: exceptions.slice((page - 1) * EXCEPTIONS_PER_PAGE, page * EXCEPTIONS_PER_PAGE),
      exceptionCount: exceptions.length,
      page,
      pages,
      today,
      staff: await staffing(c),
      grantsPage: GRANTS_PAGE,
      outcomeChoicesPage: OUTCOME_CHOICES_PATH,
      flash: flashCode(c.req.query('klart'), FLASHES),
      limits: { guidelines: shape.guidelines.maxLength, textTitle: TEXT_TITLE_MAX, textBody: TEXT_BODY_MAX },
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

const done = (c: Context<AppEnv>, flash: (typeof FLASHES)[number], anchor: string) => c.redirect(`${CHAT_ADMIN_PATH}?klart=${flash}#${anchor}`, 303);

function textIndex(c: Context<AppEnv>, settings: ChatSettings): number {
  const raw = c.req.param('index') ?? '';
  const index = /^\d{1,3}$/.test(raw) ? Number(raw) : -1;
  if (index < 0 || index >= settings.preparedTexts.length) throw new HTTPException(404);
  return index;
}

function exceptionOf(c: Context<AppEnv>, settings: ChatSettings): OpeningException {
  const date = c.req.param('date') ?? '';
  const found = settings.exceptions.find((e) => e.date === date);
  if (!found) throw new HTTPException(404);
  return found;
}

export function chatAdminRoutes() {
  const app = new Hono<AppEnv>();
  app.use(CHAT_ADMIN_PATH, requireArea('administration'));
  app.use(`${CHAT_ADMIN_PATH}/*`, requireArea('administration'));
  app.route('/', outcomeChoiceRoutes());

  app.get(CHAT_ADMIN_PATH, (c) => showPage(c));

  // Weekly opening hours: every weekday at once.
  app.post(`${CHAT_ADMIN_PATH}/oppettider`, async (c) => {
    const values = formValues(await c.req.parseBody(), HOURS_FIELDS);
    const errors: Errors = {};
    const weekly = Object.fromEntries(WEEKDAYS.map((day) => [day, parseRanges(values, day, errors)])) as ChatSettings['weekly'];
    if (Object.keys(errors).length) return showPage(c, { section: 'hours', values, errors });
    await saveChatSettings(c.get('deps').db, { weekly }, c.get('user')!.id);
    return done(c, 'hours', 'hours-heading');
  });

  // A dated exception: closed all day, or other hours that day; one per date.
  app.post(`${CHAT_ADMIN_PATH}/undantag`, async (c) => {
    const values = formValues(await c.req.parseBody(), EXCEPTION_FIELDS);
    const errors: Errors = {};
    const settings = await loadChatSettings(c.get('deps').db);
    const date = values.exDate.trim();
    const closed = values.exKind !== 'hours';
    const hours = closed ? [] : parseRanges(values, 'ex', errors);
    if (!closed && !hours.length && !errors['ex-0-from'] && !errors['ex-0-to']) errors['ex-0-from'] = 'chatAdmin.errors.hoursRequired';
    const parsed = ExceptionSchema.safeParse({ date, hours, note: values.exNote });
    if (!parsed.success) {
      const e = fieldErrors(parsed.error);
      if (e.date) errors.exDate ??= e.date;
      if (e.note) errors.exNote ??= 'chatAdmin.errors.note';
    }
    if (!errors.exDate && !isCalendarDay(date)) errors.exDate = 'chatAdmin.errors.date';
    if (!errors.exDate && settings.exceptions.some((e) => e.date === date)) errors.exDate = 'chatAdmin.errors.dateTaken';
    const exceptions = parsed.success ? [...settings.exceptions, parsed.data] : settings.exceptions;
    if (!shape.exceptions.safeParse(exceptions).success) errors.exDate ??= 'chatAdmin.errors.tooManyExceptions';
    if (Object.keys(errors).length || !parsed.success) return showPage(c, { section: 'exception', values, errors });
    await saveChatSettings(c.get('deps').db, { exceptions }, c.get('user')!.id);
    return done(c, 'exceptionAdded', 'exceptions-heading');
  });

  app.post(`${CHAT_ADMIN_PATH}/undantag/:date/ta-bort`, async (c) => {
    const settings = await loadChatSettings(c.get('deps').db);
    const exception = exceptionOf(c, settings);
    const form = await c.req.parseBody();
    if (form.confirm !== 'yes') return render(c, '/chat-admin/views/removeException', { title: c.get('t')('chatAdmin.exceptions.removeTitle'), exception });
    await saveChatSettings(c.get('deps').db, { exceptions: settings.exceptions.filter((e) => e.date !== exception.date) }, c.get('user')!.id);
    return done(c, 'exceptionRemoved', 'exceptions-heading');
  });

  // Retention, inactivity and capacity.
  app.post(`${CHAT_ADMIN_PATH}/regler`, async (c) => {
    const values = formValues(await c.req.parseBody(), RULE_FIELDS);
    const parsed = RulesForm.safeParse(values);
    if (!parsed.success) return showPage(c, { section: 'rules', values, errors: fieldErrors(parsed.error) });
    const r = parsed.data;
    await saveChatSettings(
      c.get('deps').db,
      {
        retentionMs: r.retentionHours * HOUR,
        inactivityAskMs: r.inactivityAskMinutes * MINUTE,
        inactivityCloseMs: r.inactivityCloseMinutes * MINUTE,
        maxPerCounsellor: r.maxPerCounsellor,
        maxQueue: r.maxQueue,
        startsPerAddress: r.startsPerAddress,
      },
      c.get('user')!.id,
    );
    return done(c, 'rules', 'rules-heading');
  });

  app.post(`${CHAT_ADMIN_PATH}/riktlinjer`, async (c) => {
    const values = formValues(await c.req.parseBody(), ['guidelines']);
    const guidelines = values.guidelines.replace(/\r\n/g, '\n').trim();
    if (!shape.guidelines.safeParse(guidelines).success) {
      return showPage(c, { section: 'guidelines', values, errors: { guidelines: 'chatAdmin.errors.guidelines' } });
    }
    await saveChatSettings(c.get('deps').db, { guidelines }, c.get('user')!.id);
    return done(c, 'guidelines', 'guidelines-heading');
  });

  // Prepared texts: add, edit (own page), remove (confirmation).
  app.post(`${CHAT_ADMIN_PATH}/texter`, async (c) => {
    const values = formValues(await c.req.parseBody(), ['textTitle', 'textBody']);
    const settings = await loadChatSettings(c.get('deps').db);
    const parsed = PreparedTextSchema.safeParse({ title: values.textTitle, body: values.textBody.replace(/\r\n/g, '\n') });
    const errors: Errors = parsed.success ? {} : Object.fromEntries(Object.entries(fieldErrors(parsed.error)).map(([k, v]) => [k === 'title' ? 'textTitle' : 'textBody', v]));
    const preparedTexts = parsed.success ? [...settings.preparedTexts, parsed.data] : settings.preparedTexts;
    if (!shape.preparedTexts.safeParse(preparedTexts).success) errors.textTitle ??= 'chatAdmin.errors.tooManyTexts';
    if (!parsed.success || Object.keys(errors).length) return showPage(c, { section: 'text', values, errors });
    await saveChatSettings(c.get('deps').db, { preparedTexts }, c.get('user')!.id);
    return done(c, 'textAdded', 'texts-heading');
  });

  app.get(`${CHAT_ADMIN_PATH}/texter/:index`, async (c) => {
    const settings = await loadChatSettings(c.get('deps').db);
    const index = textIndex(c, settings);
    const text = settings.preparedTexts[index];
    return render(c, '/chat-admin/views/textEdit', { title: c.get('t')('chatAdmin.texts.editTitle'), index, was: text.title, values: { title: text.title, body: text.body }, errors: {} });
  });

  app.post(`${CHAT_ADMIN_PATH}/texter/:index`, async (c) => {
    const settings = await loadChatSettings(c.get('deps').db);
    const index = textIndex(c, settings);
    const values = formValues(await c.req.parseBody(), ['title', 'body', 'was']);
    const show = (errors: Errors) =>
      render(c, '/chat-admin/views/textEdit', { title: c.get('t')('chatAdmin.texts.editTitle'), index, was: values.was, values, errors }, 422);
    // Someone else removed or renamed texts since the page was opened: do not overwrite another one.
    if (settings.preparedTexts[index].title !== values.was) return show({ title: 'errors.stale' });
    const parsed = PreparedTextSchema.safeParse({ title: values.title, body: values.body.replace(/\r\n/g, '\n') });
    if (!parsed.success) return show(fieldErrors(parsed.error));
    const preparedTexts = settings.preparedTexts.map((t, i) => (i === index ? parsed.data : t));
    await saveChatSettings(c.get('deps').db, { preparedTexts }, c.get('user')!.id);
    return done(c, 'textSaved', 'texts-heading');
  });

  app.post(`${CHAT_ADMIN_PATH}/texter/:index/ta-bort`, async (c) => {
    const settings = await loadChatSettings(c.get('deps').db);
    const index = textIndex(c, settings);
    const form = formValues(await c.req.parseBody(), ['confirm', 'was']);
    const text = settings.preparedTexts[index];
    if (form.was && form.was !== text.title) throw new HTTPException(409, { message: 'stale' });
    if (form.confirm !== 'yes') return render(c, '/chat-admin/views/removeText', { title: c.get('t')('chatAdmin.texts.removeTitle'), index, text });
    await saveChatSettings(c.get('deps').db, { preparedTexts: settings.preparedTexts.filter((_, i) => i !== index) }, c.get('user')!.id);
    return done(c, 'textRemoved', 'texts-heading');
  });

  return app;
}
