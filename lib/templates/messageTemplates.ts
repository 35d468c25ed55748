// The automatic notices' texts (R8.4): defaults live here, an admin's edited version in the
// MessageTemplate table. Every text is short and discreet: no case content, only a link (and, for
// a reminder, the time). Only the placeholders a notice fills in are allowed in its text.
import type { Db } from '../db';

export const TEMPLATE_KEYS = ['caseUpdate', 'sessionReminder', 'consentRequest', 'consentReminder'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];
export const TEMPLATE_LANGS = ['sv', 'en'] as const;
export type TemplateLang = (typeof TEMPLATE_LANGS)[number];

export interface MessageText {
  subject: string;
  body: string;
  sms: string;
}

/** What each notice fills in; anything else in a text would reach the recipient verbatim. */
export const PLACEHOLDERS: Record<TemplateKey, readonly string[]> = {
  caseUpdate: ['link'],
  sessionReminder: ['date', 'time', 'link'],
  // To the applicant's manager (R6.2): a work matter, so the mail names who applied and to what.
  consentRequest: ['applicant', 'workplace', 'training', 'startDate', 'deadline', 'link'],
  consentReminder: ['applicant', 'workplace', 'training', 'startDate', 'deadline', 'link'],
};

/** Two SMS segments: longer texts cost more and are split on old phones. */
export const SMS_MAX_LENGTH = 320;

const NO_REPLY = { sv: 'Det här meddelandet går inte att svara på.', en: 'This message cannot be replied to.' };

export const DEFAULT_TEMPLATES: Record<TemplateKey, Record<TemplateLang, MessageText>> = {
  caseUpdate: {
    sv: {
      subject: 'Nytt meddelande i ditt ärende hos Stockholms stad',
      body: ['Hej!', '', 'Det finns ett nytt meddelande i ditt ärende hos Stockholms stad.', 'Logga in på Mina ärenden för att läsa det: {link}', '', NO_REPLY.sv].join('\n'),
      sms: 'Du har ett nytt meddelande från Stockholms stad: {link}',
    },
    en: {
      subject: 'New message in your case with the City of Stockholm',
      body: ['Hello,', '', 'There is a new message in your case with the City of Stockholm.', 'Log in to My cases to read it: {link}', '', NO_REPLY.en].join('\n'),
      sms: 'You have a new message from the City of Stockholm: {link}',
    },
  },
  sessionReminder: {
    sv: {
      subject: 'Påminnelse från Stockholms stad',
      body: ['Hej!', '', 'Påminnelse: du har en träff {date} kl. {time}.', 'Plats och mer information finns i Mina ärenden: {link}', '', NO_REPLY.sv].join('\n'),
      sms: 'Påminnelse: du har en träff {date} kl. {time}. Mer information: {link}',
    },
    en: {
      subject: 'Reminder from the City of Stockholm',
      body: ['Hello,', '', 'Reminder: you have a session on {date} at {time}.', 'Place and more information are in My cases: {link}', '', NO_REPLY.en].join('\n'),
      sms: 'Reminder: you have a session on {date} at {time}. More information: {link}',
    },
  },
  consentRequest: {
    sv: {
      subject: 'Godkännande av utbildning för {applicant}',
      body: ['Hej!', '', '{applicant} ({workplace}) har anmält sig till {training}, som börjar {startDate}.', 'Anmälan behöver ditt godkännande som chef. Du ser datum, plats och avgift och svarar på sidan:', '{link}', '', 'Länken gäller till {deadline} och kan användas en gång. Du behöver inte logga in.', '', 'Stockholms stad'].join('\n'),
      sms: 'Godkänn eller avböj {applicant}s anmälan till {training}: {link}',
    },
    en: {
      subject: 'Approval of training for {applicant}',
      body: ['Hello,', '', '{applicant} ({workplace}) has enrolled in {training}, starting {startDate}.', 'The enrolment needs your approval as their manager. The dates, place and fee are on the page where you answer:', '{link}', '', 'The link is valid until {deadline} and works once. You do not need to log in.', '', 'City of Stockholm'].join('\n'),
      sms: "Approve or decline {applicant}'s enrolment in {training}: {link}",
    },
  },
  consentReminder: {
    sv: {
      subject: 'Påminnelse: godkännande av utbildning för {applicant}',
      body: ['Hej!', '', 'Påminnelse: {applicant} ({workplace}) har anmält sig till {training}, som börjar {startDate}, och väntar på ditt svar.', '{link}', '', 'Länken gäller till {deadline} och kan användas en gång.', '', 'Stockholms stad'].join('\n'),
      sms: 'Påminnelse: svara på {applicant}s anmälan till {training}: {link}',
    },
    en: {
      subject: 'Reminder: approval of training for {applicant}',
      body: ['Hello,', '', 'Reminder: {applicant} ({workplace}) has enrolled in {training}, starting {startDate}, and is waiting for your answer.', '{link}', '', 'The link is valid until {deadline} and works once.', '', 'City of Stockholm'].join('\n'),
      sms: "Reminder: answer {applicant}'s enrolment in {training}: {link}",
    },
  },
};

/** Sample values for the editor's preview and the SMS length check (a realistic, long link). */
export const SAMPLE_VALUES: Record<TemplateLang, Record<string, string>> = {
  sv: {
    link: 'https://komet.stockholm.se/mina-arenden/KOM-2026-000123',
    date: 'tisdag 3 mars 2026',
    time: '17:30',
    applicant: 'Pia Andersson',
    workplace: 'Förskolan Solen',
    training: 'Komet gruppledarutbildning',
    startDate: 'tisdag 15 december 2026',
    deadline: 'måndag 7 december 2026',
  },
  en: {
    link: 'https://komet.stockholm.se/mina-arenden/KOM-2026-000123',
    date: 'Tuesday 3 March 2026',
    time: '17:30',
    applicant: 'Pia Andersson',
    workplace: 'Förskolan Solen',
    training: 'Komet group leader training',
    startDate: 'Tuesday 15 December 2026',
    deadline: 'Monday 7 December 2026',
  },
};

const PLACEHOLDER = /\{(\w+)\}/g;

export function fillPlaceholders(text: string, vars: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (m, name: string) => (name in vars ? vars[name] : m));
}

function fill(t: MessageText, vars: Record<string, string>): MessageText {
  return { subject: fillPlaceholders(t.subject, vars), body: fillPlaceholders(t.body, vars), sms: fillPlaceholders(t.sms, vars) };
}

export function isTemplateKey(v: string): v is TemplateKey {
  return (TEMPLATE_KEYS as readonly string[]).includes(v);
}
export function isTemplateLang(v: string): v is TemplateLang {
  return (TEMPLATE_LANGS as readonly string[]).includes(v);
}

/** The texts as stored (admin's version) or the default, not yet filled in. */
export async function loadTemplate(db: Db, key: TemplateKey, lang: TemplateLang): Promise<MessageText & { edited: boolean }> {
  const row = await db.messageTemplate.findUnique({ where: { key_lang: { key, lang } } });
  return row ? { subject: row.subject, body: row.body, sms: row.sms, edited: true } : { ...DEFAULT_TEMPLATES[key][lang], edited: false };
}

/** The notice's text ready to send: the admin's version if there is one, else the default. */
export async function renderTemplate(db: Db, key: TemplateKey, lang: TemplateLang, vars: Record<string, string>): Promise<MessageText> {
  const { subject, body, sms } = await loadTemplate(db, key, lang);
  return fill({ subject, body, sms }, vars);
}

/** The default text filled in, for callers without a database at hand. */
export function renderDefaultTemplate(key: TemplateKey, lang: TemplateLang, vars: Record<string, string>): MessageText {
  return fill(DEFAULT_TEMPLATES[key][lang], vars);
}

export function renderSample(key: TemplateKey, lang: TemplateLang, t: MessageText): MessageText {
  return fill(t, SAMPLE_VALUES[lang]);
}

export type TemplateErrors = Partial<Record<keyof MessageText, { key: string; params?: Record<string, string | number> }>>;

const MAX_LENGTH: Record<keyof MessageText, number> = { subject: 200, body: 5000, sms: 1000 };

/** Refuses empty or overlong texts, placeholders the notice does not fill, and an SMS over two segments. */
export function checkTemplate(key: TemplateKey, lang: TemplateLang, t: MessageText): TemplateErrors {
  const errors: TemplateErrors = {};
  const allowed = PLACEHOLDERS[key];
  for (const field of ['subject', 'body', 'sms'] as const) {
    const text = t[field];
    if (!text.trim()) errors[field] = { key: 'errors.required' };
    else if (text.length > MAX_LENGTH[field]) errors[field] = { key: 'admin.templates.errors.tooLong' };
    else {
      const unknown = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((n) => !allowed.includes(n)))];
      if (unknown.length) {
        errors[field] = {
          key: 'admin.templates.errors.unknownPlaceholder',
          params: { names: unknown.map((n) => `{${n}}`).join(', '), allowed: allowed.map((n) => `{${n}}`).join(', ') },
        };
      }
    }
  }
  if (!errors.sms) {
    const length = fillPlaceholders(t.sms, SAMPLE_VALUES[lang]).length;
    if (length > SMS_MAX_LENGTH) errors.sms = { key: 'admin.templates.errors.smsTooLong', params: { length } };
  }
  return errors;
}

export async function saveTemplate(db: Db, key: TemplateKey, lang: TemplateLang, t: MessageText, updatedBy: string): Promise<void> {
  const data = { subject: t.subject, body: t.body, sms: t.sms, updatedBy };
  await db.messageTemplate.upsert({ where: { key_lang: { key, lang } }, create: { key, lang, ...data }, update: data });
}

export async function resetTemplate(db: Db, key: TemplateKey, lang: TemplateLang): Promise<void> {
  await db.messageTemplate.deleteMany({ where: { key, lang } });
}
