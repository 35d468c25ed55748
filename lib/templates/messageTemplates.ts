// Every automatic message's text (R8.3, issue 16): to citizens, to managers, to staff, and the login
// e-mail. Defaults live here, an admin's edited version in the MessageTemplate table, per language.
// Texts to citizens are short and discreet: what kind of thing happened and the link, never the
// case's content. Only the placeholders a message fills in are allowed in its text.
import type { Db } from '../db';
import { DEFAULT_LANG, LANGS } from '../i18n';

export const TEMPLATE_KEYS = [
  // To the applicant, about their case (lib/notices): one per kind of thing that happened.
  'caseReceived',
  'caseDecision',
  'caseOffer',
  'caseInvoice',
  'caseChange',
  'sessionReminder',
  'caseReminder',
  'caseUpdate',
  'caseBundle',
  // To the professional's manager (R6.2).
  'consentRequest',
  'consentReminder',
  // To staff.
  'staffCaseMessage',
  'staffNoConsent',
  'staffConsentDeclined',
  // The login e-mail.
  'loginLink',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** Every page language may have its texts; one without them (default or edited) gets Swedish. */
export const TEMPLATE_LANGS = LANGS;
export type TemplateLang = (typeof TEMPLATE_LANGS)[number];

export type TemplateAudience = 'citizen' | 'manager' | 'staff' | 'login';

export interface MessageText {
  subject: string;
  body: string;
  /** '' for the e-mail-only messages. */
  sms: string;
}

interface TemplateDef {
  audience: TemplateAudience;
  /** Sent by e-mail only: the editor shows no SMS field. */
  emailOnly?: true;
  /** What the message fills in; anything else in a text would reach the recipient verbatim. */
  placeholders: readonly string[];
}

/** Every message carries its link: in the e-mail text and in the SMS (issue 16: "always with the link"). */
const REQUIRED_PLACEHOLDERS: readonly string[] = ['link'];

export const TEMPLATES: Record<TemplateKey, TemplateDef> = {
  caseReceived: { audience: 'citizen', placeholders: ['link'] },
  caseDecision: { audience: 'citizen', placeholders: ['link'] },
  caseOffer: { audience: 'citizen', placeholders: ['date', 'time', 'link'] },
  caseInvoice: { audience: 'citizen', placeholders: ['link'] },
  caseChange: { audience: 'citizen', placeholders: ['link'] },
  sessionReminder: { audience: 'citizen', placeholders: ['date', 'time', 'link'] },
  caseReminder: { audience: 'citizen', placeholders: ['link'] },
  caseUpdate: { audience: 'citizen', placeholders: ['link'] },
  // Several kinds at once: {items} one line per kind (each its message's subject), {summary} the
  // two most important ones on one line, for the SMS.
  caseBundle: { audience: 'citizen', placeholders: ['items', 'summary', 'link'] },
  // A work matter, so the manager's mail names who applied and to what.
  consentRequest: { audience: 'manager', emailOnly: true, placeholders: ['applicant', 'workplace', 'training', 'startDate', 'deadline', 'link'] },
  consentReminder: { audience: 'manager', emailOnly: true, placeholders: ['applicant', 'workplace', 'training', 'startDate', 'deadline', 'link'] },
  staffCaseMessage: { audience: 'staff', placeholders: ['caseNumber', 'link'] },
  staffNoConsent: { audience: 'staff', emailOnly: true, placeholders: ['caseNumber', 'training', 'link'] },
  staffConsentDeclined: { audience: 'staff', emailOnly: true, placeholders: ['caseNumber', 'training', 'link'] },
  loginLink: { audience: 'login', emailOnly: true, placeholders: ['link', 'minutes'] },
};

/** What each message fills in (the editor lists them). */
export const PLACEHOLDERS: Record<TemplateKey, readonly string[]> = Object.fromEntries(
  TEMPLATE_KEYS.map((k) => [k, TEMPLATES[k].placeholders]),
) as Record<TemplateKey, readonly string[]>;

export const isEmailOnly = (key: TemplateKey): boolean => TEMPLATES[key].emailOnly === true;

/** Two SMS segments: longer texts cost more and are split on old phones. */
export const SMS_MAX_LENGTH = 320;

const NO_REPLY = { sv: 'Det här meddelandet går inte att svara på.', en: 'This message cannot be replied to.' };

const citizen = (lang: 'sv' | 'en', subject: string, lines: string[], sms: string): MessageText => ({
  subject,
  body: [lang === 'sv' ? 'Hej!' : 'Hello,', '', ...lines, '', NO_REPLY[lang]].join('\n'),
  sms,
});

/** Swedish for every message; English too. Further languages are written by the admin. */
export const DEFAULT_TEMPLATES: Record<TemplateKey, { sv: MessageText } & Partial<Record<string, MessageText>>> = {
  caseReceived: {
    sv: citizen('sv', 'Vi har tagit emot din anmälan', ['Vi har tagit emot din anmälan till Stockholms stad. Du får besked när den är behandlad.', 'I Mina ärenden följer du ärendet och laddar ner ett kvitto: {link}'], 'Vi har tagit emot din anmälan till Stockholms stad. Följ ärendet i Mina ärenden: {link}'),
    en: citizen('en', 'We have received your application', ['We have received your application to the City of Stockholm. You will be told when it has been dealt with.', 'In My cases you follow your case and download a receipt: {link}'], 'We have received your application to the City of Stockholm. Follow it in My cases: {link}'),
  },
  caseDecision: {
    sv: citizen('sv', 'Det finns ett nytt besked om din anmälan', ['Det finns ett nytt besked om din anmälan hos Stockholms stad.', 'Logga in på Mina ärenden för att läsa det: {link}'], 'Det finns ett nytt besked om din anmälan hos Stockholms stad: {link}'),
    en: citizen('en', 'There is a new decision on your application', ['There is a new decision on your application to the City of Stockholm.', 'Log in to My cases to read it: {link}'], 'There is a new decision on your application to the City of Stockholm: {link}'),
  },
  caseOffer: {
    sv: citizen('sv', 'Du erbjuds en plats – svara senast {date} kl. {time}', ['Du erbjuds en plats. Svara senast {date} kl. {time}, annars går platsen till nästa person i kön.', 'Logga in på Mina ärenden för att svara: {link}'], 'Du erbjuds en plats hos Stockholms stad. Svara senast {date} kl. {time}: {link}'),
    en: citizen('en', 'You are offered a place – answer by {date} at {time}', ['You are offered a place. Answer by {date} at {time}, or the place goes to the next person in the queue.', 'Log in to My cases to answer: {link}'], 'You are offered a place by the City of Stockholm. Answer by {date} at {time}: {link}'),
  },
  caseInvoice: {
    sv: citizen('sv', 'Det finns en ny faktura i ditt ärende', ['Det finns en ny faktura i ditt ärende hos Stockholms stad.', 'Du hittar den i Mina ärenden: {link}'], 'Det finns en ny faktura i ditt ärende hos Stockholms stad: {link}'),
    en: citizen('en', 'There is a new invoice in your case', ['There is a new invoice in your case with the City of Stockholm.', 'You find it in My cases: {link}'], 'There is a new invoice in your case with the City of Stockholm: {link}'),
  },
  caseChange: {
    sv: citizen('sv', 'En tid eller plats i ditt ärende har ändrats', ['En tid eller plats i ditt ärende hos Stockholms stad har ändrats.', 'Se det som gäller nu i Mina ärenden: {link}'], 'En tid eller plats i ditt ärende hos Stockholms stad har ändrats. Se Mina ärenden: {link}'),
    en: citizen('en', 'A time or place in your case has changed', ['A time or place in your case with the City of Stockholm has changed.', 'See what applies now in My cases: {link}'], 'A time or place in your case with the City of Stockholm has changed. See My cases: {link}'),
  },
  sessionReminder: {
    sv: citizen('sv', 'Påminnelse: du har en träff {date} kl. {time}', ['Påminnelse: du har en träff {date} kl. {time}.', 'Plats och mer information finns i Mina ärenden: {link}'], 'Påminnelse: du har en träff {date} kl. {time}. Mer information: {link}'),
    en: citizen('en', 'Reminder: you have a session on {date} at {time}', ['Reminder: you have a session on {date} at {time}.', 'Place and more information are in My cases: {link}'], 'Reminder: you have a session on {date} at {time}. More information: {link}'),
  },
  caseReminder: {
    sv: citizen('sv', 'Påminnelse: något i ditt ärende väntar på dig', ['Påminnelse: något i ditt ärende hos Stockholms stad väntar på dig.', 'Logga in på Mina ärenden för att se vad: {link}'], 'Påminnelse: något i ditt ärende hos Stockholms stad väntar på dig: {link}'),
    en: citizen('en', 'Reminder: something in your case is waiting for you', ['Reminder: something in your case with the City of Stockholm is waiting for you.', 'Log in to My cases to see what: {link}'], 'Reminder: something in your case with the City of Stockholm is waiting for you: {link}'),
  },
  caseUpdate: {
    sv: citizen('sv', 'Det finns nytt i ditt ärende', ['Det finns nytt i ditt ärende hos Stockholms stad, till exempel ett meddelande eller nytt material.', 'Logga in på Mina ärenden för att läsa det: {link}'], 'Det finns nytt i ditt ärende hos Stockholms stad: {link}'),
    en: citizen('en', 'There is something new in your case', ['There is something new in your case with the City of Stockholm, for example a message or new material.', 'Log in to My cases to read it: {link}'], 'There is something new in your case with the City of Stockholm: {link}'),
  },
  caseBundle: {
    sv: citizen('sv', 'Det finns nytt i ditt ärende hos Stockholms stad', ['Det här har hänt i ditt ärende hos Stockholms stad:', '{items}', '', 'Logga in på Mina ärenden för att läsa mer: {link}'], 'Stockholms stad: {summary}. Se Mina ärenden: {link}'),
    en: citizen('en', 'There is news in your case with the City of Stockholm', ['This has happened in your case with the City of Stockholm:', '{items}', '', 'Log in to My cases to read more: {link}'], 'City of Stockholm: {summary}. See My cases: {link}'),
  },
  consentRequest: {
    sv: {
      subject: 'Godkännande av utbildning för {applicant}',
      body: ['Hej!', '', '{applicant} ({workplace}) har anmält sig till {training}, som börjar {startDate}.', 'Anmälan behöver ditt godkännande som chef. Du ser datum, plats och avgift och svarar på sidan:', '{link}', '', 'Länken gäller till {deadline} och kan användas en gång. Du behöver inte logga in.', '', 'Stockholms stad'].join('\n'),
      sms: '',
    },
    en: {
      subject: 'Approval of training for {applicant}',
      body: ['Hello,', '', '{applicant} ({workplace}) has enrolled in {training}, starting {startDate}.', 'The enrolment needs your approval as their manager. The dates, place and fee are on the page where you answer:', '{link}', '', 'The link is valid until {deadline} and works once. You do not need to log in.', '', 'City of Stockholm'].join('\n'),
      sms: '',
    },
  },
  consentReminder: {
    sv: {
      subject: 'Påminnelse: godkännande av utbildning för {applicant}',
      body: ['Hej!', '', 'Påminnelse: {applicant} ({workplace}) har anmält sig till {training}, som börjar {startDate}, och väntar på ditt svar.', '{link}', '', 'Länken gäller till {deadline} och kan användas en gång.', '', 'Stockholms stad'].join('\n'),
      sms: '',
    },
    en: {
      subject: 'Reminder: approval of training for {applicant}',
      body: ['Hello,', '', 'Reminder: {applicant} ({workplace}) has enrolled in {training}, starting {startDate}, and is waiting for your answer.', '{link}', '', 'The link is valid until {deadline} and works once.', '', 'City of Stockholm'].join('\n'),
      sms: '',
    },
  },
  staffCaseMessage: {
    sv: {
      subject: 'Nytt meddelande i ärende {caseNumber}',
      body: ['Hej!', '', 'Föräldern i ärende {caseNumber} har skrivit ett nytt meddelande.', 'Läs och svara: {link}'].join('\n'),
      sms: 'Nytt meddelande i ärende {caseNumber}: {link}',
    },
    en: {
      subject: 'New message in case {caseNumber}',
      body: ['Hello,', '', 'The parent in case {caseNumber} has written a new message.', 'Read and answer: {link}'].join('\n'),
      sms: 'New message in case {caseNumber}: {link}',
    },
  },
  staffNoConsent: {
    sv: {
      subject: 'Utbildningsanmälan {caseNumber} avslutad utan samtycke',
      body: ['Anmälan {caseNumber} till {training} har avslutats: chefen svarade inte i tid.', '{link}'].join('\n'),
      sms: '',
    },
    en: {
      subject: 'Training enrolment {caseNumber} closed without consent',
      body: ['Enrolment {caseNumber} in {training} has been closed: the manager did not answer in time.', '{link}'].join('\n'),
      sms: '',
    },
  },
  staffConsentDeclined: {
    sv: {
      subject: 'Utbildningsanmälan {caseNumber} avslutad utan samtycke',
      body: ['Anmälan {caseNumber} till {training} har avslutats: chefen sa nej.', '{link}'].join('\n'),
      sms: '',
    },
    en: {
      subject: 'Training enrolment {caseNumber} closed without consent',
      body: ['Enrolment {caseNumber} in {training} has been closed: the manager declined.', '{link}'].join('\n'),
      sms: '',
    },
  },
  loginLink: {
    sv: {
      subject: 'Din inloggningslänk till Stockholms stad',
      body: ['Hej!', '', 'Använd länken nedan för att logga in. Den fungerar en gång och i {minutes} minuter.', '{link}', '', 'Har du inte bett om att logga in kan du bortse från det här meddelandet.'].join('\n'),
      sms: '',
    },
    en: {
      subject: 'Your login link to the City of Stockholm',
      body: ['Hello,', '', 'Use the link below to log in. It works once and for {minutes} minutes.', '{link}', '', 'If you did not ask to log in, you can ignore this message.'].join('\n'),
      sms: '',
    },
  },
};

const SAMPLE_LINK = 'https://komet.stockholm.se/mina-arenden';

/** Sample values for the editor's preview and the SMS length check (realistic, long values). */
export const SAMPLE_VALUES: Record<'sv' | 'en', Record<string, string>> = {
  sv: {
    link: SAMPLE_LINK,
    date: 'tisdag 3 mars 2026',
    time: '17:30',
    applicant: 'Pia Andersson',
    workplace: 'Förskolan Solen',
    training: 'Komet gruppledarutbildning',
    startDate: 'tisdag 15 december 2026',
    deadline: 'måndag 7 december 2026',
    caseNumber: 'KOM-2026-000123',
    minutes: '15',
    items: '- Det finns ett nytt besked om din anmälan\n- Du erbjuds en plats – svara senast tisdag 3 mars 2026 kl. 17:30',
    summary: 'Det finns ett nytt besked om din anmälan. Du erbjuds en plats – svara senast tisdag 3 mars 2026 kl. 17:30',
  },
  en: {
    link: SAMPLE_LINK,
    date: 'Tuesday 3 March 2026',
    time: '17:30',
    applicant: 'Pia Andersson',
    workplace: 'Förskolan Solen',
    training: 'Komet group leader training',
    startDate: 'Tuesday 15 December 2026',
    deadline: 'Monday 7 December 2026',
    caseNumber: 'KOM-2026-000123',
    minutes: '15',
    items: '- There is a new decision on your application\n- You are offered a place – answer by Tuesday 3 March 2026 at 17:30',
    summary: 'There is a new decision on your application. You are offered a place – answer by Tuesday 3 March 2026 at 17:30',
  },
};

const samplesFor = (lang: string) => (lang === 'en' ? SAMPLE_VALUES.en : SAMPLE_VALUES.sv);

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

/** The language a person's messages go out in: theirs if it is a page language, else Swedish. */
export function templateLangOf(language: string | null | undefined): TemplateLang {
  return language && isTemplateLang(language) ? language : DEFAULT_LANG;
}

/** The default of a language, or Swedish's where that language has none. */
const defaultText = (key: TemplateKey, lang: string): MessageText => DEFAULT_TEMPLATES[key][lang] ?? DEFAULT_TEMPLATES[key].sv;

/** The texts for the editor: the admin's version or the default (Swedish's if the language has none). */
export async function loadTemplate(db: Db, key: TemplateKey, lang: TemplateLang): Promise<MessageText & { edited: boolean }> {
  const row = await db.messageTemplate.findUnique({ where: { key_lang: { key, lang } } });
  return row ? { subject: row.subject, body: row.body, sms: row.sms, edited: true } : { ...defaultText(key, lang), edited: false };
}

/**
 * The text to send in a language: the admin's version, else that language's default, else Swedish
 * (the admin's Swedish first): a language without a text of its own gets Swedish, never nothing.
 */
export async function sendableTemplate(db: Db, key: TemplateKey, lang: string): Promise<MessageText> {
  const langs = lang === DEFAULT_LANG ? [lang] : [lang, DEFAULT_LANG];
  const rows = await db.messageTemplate.findMany({ where: { key, lang: { in: langs } } });
  const own = rows.find((r) => r.lang === lang);
  if (own) return { subject: own.subject, body: own.body, sms: own.sms };
  const fallback = DEFAULT_TEMPLATES[key][lang];
  if (fallback) return fallback;
  const swedish = rows.find((r) => r.lang === DEFAULT_LANG);
  return swedish ? { subject: swedish.subject, body: swedish.body, sms: swedish.sms } : DEFAULT_TEMPLATES[key].sv;
}

/** The message ready to send: the admin's version if there is one, else the default. */
export async function renderTemplate(db: Db, key: TemplateKey, lang: string, vars: Record<string, string>): Promise<MessageText> {
  return fill(await sendableTemplate(db, key, lang), vars);
}

/** The default text filled in, for callers without a database at hand. */
export function renderDefaultTemplate(key: TemplateKey, lang: string, vars: Record<string, string>): MessageText {
  return fill(defaultText(key, lang), vars);
}

export function renderSample(key: TemplateKey, lang: TemplateLang, t: MessageText): MessageText {
  return fill(t, samplesFor(lang));
}

export type TemplateErrors = Partial<Record<keyof MessageText, { key: string; params?: Record<string, string | number> }>>;

const MAX_LENGTH: Record<keyof MessageText, number> = { subject: 200, body: 5000, sms: 1000 };

/** Refuses empty or overlong texts, placeholders the message does not fill, and an SMS over two segments. */
export function checkTemplate(key: TemplateKey, lang: TemplateLang, t: MessageText): TemplateErrors {
  const errors: TemplateErrors = {};
  const allowed = PLACEHOLDERS[key];
  const fields = isEmailOnly(key) ? (['subject', 'body'] as const) : (['subject', 'body', 'sms'] as const);
  for (const field of fields) {
    const text = t[field];
    if (!text.trim()) errors[field] = { key: `admin.templates.errors.required.${field}` };
    else if (text.length > MAX_LENGTH[field]) errors[field] = { key: 'admin.templates.errors.tooLong', params: { max: MAX_LENGTH[field] } };
    else {
      const unknown = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((n) => !allowed.includes(n)))];
      const missing = field === 'subject' ? [] : REQUIRED_PLACEHOLDERS.filter((n) => allowed.includes(n) && !text.includes(`{${n}}`));
      if (unknown.length) {
        errors[field] = {
          key: 'admin.templates.errors.unknownPlaceholder',
          params: { names: unknown.map((n) => `{${n}}`).join(', '), allowed: allowed.map((n) => `{${n}}`).join(', ') },
        };
      } else if (missing.length) {
        errors[field] = { key: 'admin.templates.errors.missingPlaceholder', params: { names: missing.map((n) => `{${n}}`).join(', ') } };
      }
    }
  }
  if (!isEmailOnly(key) && !errors.sms) {
    const length = fillPlaceholders(t.sms, samplesFor(lang)).length;
    if (length > SMS_MAX_LENGTH) errors.sms = { key: 'admin.templates.errors.smsTooLong', params: { length } };
  }
  return errors;
}

export async function saveTemplate(db: Db, key: TemplateKey, lang: TemplateLang, t: MessageText, updatedBy: string): Promise<void> {
  const data = { subject: t.subject, body: t.body, sms: isEmailOnly(key) ? '' : t.sms, updatedBy };
  await db.messageTemplate.upsert({ where: { key_lang: { key, lang } }, create: { key, lang, ...data }, update: data });
}

export async function resetTemplate(db: Db, key: TemplateKey, lang: TemplateLang): Promise<void> {
  await db.messageTemplate.deleteMany({ where: { key, lang } });
}
