// The admin's editor for the automatic messages (R8.3, issue 16): the notices to citizens, the
// managers' consent mails, the notices to staff and the login e-mail, per language: subject, e-mail
// text and (where one is sent) SMS, a preview with sample values, and a reset to the default.
// Unknown placeholders and an over-long SMS are refused beside the field; nothing is stored then.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  checkTemplate,
  loadTemplate,
  PLACEHOLDERS,
  renderSample,
  resetTemplate,
  saveTemplate,
  TEMPLATE_KEYS,
  TEMPLATE_LANGS,
  isEmailOnly,
  isTemplateKey,
  isTemplateLang,
  TEMPLATES,
  type MessageText,
  type TemplateKey,
  type TemplateLang,
} from '../../lib/templates/messageTemplates';
import type { AppEnv } from '../context';
import { render } from '../render';
import { flashCode, formValues } from './form';

const PAGE = '/personal/admin/meddelanden';

function target(c: Context<AppEnv>): { key: TemplateKey; lang: TemplateLang } {
  const key = c.req.param('key') ?? '';
  const lang = c.req.param('lang') ?? '';
  if (!isTemplateKey(key) || !isTemplateLang(lang)) throw new HTTPException(404);
  return { key, lang };
}

/** A language's name in the page's words; a language added later without a name shows its code. */
function langName(c: Context<AppEnv>, lang: string): string {
  const key = `admin.templates.langs.${lang}`;
  const name = c.get('t')(key);
  return name === key ? lang : name;
}

const AUDIENCES = ['citizen', 'manager', 'staff', 'login'] as const;

function showEditor(c: Context<AppEnv>, key: TemplateKey, lang: TemplateLang, values: MessageText, opts: { errors?: Record<string, string>; preview?: MessageText | null; edited?: boolean } = {}) {
  const t = c.get('t');
  const errors = opts.errors ?? {};
  return render(
    c,
    '/admin/views/templateEdit',
    {
      title: t('admin.templates.editTitle', { key: t(`admin.templates.keys.${key}`), lang: langName(c, lang) }),
      key,
      lang,
      langName: langName(c, lang),
      emailOnly: isEmailOnly(key),
      values,
      errors,
      preview: opts.preview ?? null,
      edited: opts.edited ?? false,
      placeholders: PLACEHOLDERS[key].map((n) => `{${n}}`).join(', '),
      flash: flashCode(c.req.query('klart'), ['saved', 'reset'] as const),
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

export function templateRoutes() {
  const app = new Hono<AppEnv>();

  app.get(PAGE, async (c) => {
    const db = c.get('deps').db;
    const edited = new Set((await db.messageTemplate.findMany({ select: { key: true, lang: true } })).map((r) => `${r.key}:${r.lang}`));
    const groups = AUDIENCES.map((audience) => ({
      audience,
      rows: TEMPLATE_KEYS.filter((key) => TEMPLATES[key].audience === audience).flatMap((key) =>
        TEMPLATE_LANGS.map((lang) => ({ key, lang, langName: langName(c, lang), edited: edited.has(`${key}:${lang}`), emailOnly: isEmailOnly(key) })),
      ),
    }));
    return render(c, '/admin/views/templates', { title: c.get('t')('admin.templates.title'), groups, flash: flashCode(c.req.query('klart'), ['saved', 'reset'] as const) });
  });

  app.get(`${PAGE}/:key/:lang`, async (c) => {
    const { key, lang } = target(c);
    const current = await loadTemplate(c.get('deps').db, key, lang);
    return showEditor(c, key, lang, current, { preview: renderSample(key, lang, current), edited: current.edited });
  });

  // One form, two buttons: "preview" shows the filled-in text, "save" stores it; both check it first.
  app.post(`${PAGE}/:key/:lang`, async (c) => {
    const { key, lang } = target(c);
    const body = await c.req.parseBody();
    const values = formValues(body, ['subject', 'body', 'sms']);
    const t = c.get('t');
    const problems = checkTemplate(key, lang, values);
    // The messages carry parameters, so they are translated here; field.eta shows them as given.
    const errors = Object.fromEntries(Object.entries(problems).map(([field, p]) => [field, t(p!.key, p!.params)]));
    if (Object.keys(errors).length || body.action === 'preview') {
      return showEditor(c, key, lang, values, { errors, preview: Object.keys(errors).length ? null : renderSample(key, lang, values) });
    }
    await saveTemplate(c.get('deps').db, key, lang, values, c.get('user')!.id);
    return c.redirect(`${PAGE}/${key}/${lang}?klart=saved`, 303);
  });

  // Without JavaScript the reset button leads to a confirmation page; the confirmed form resets.
  app.post(`${PAGE}/:key/:lang/aterstall`, async (c) => {
    const { key, lang } = target(c);
    const form = await c.req.parseBody();
    if (form.confirm !== 'yes') {
      const t = c.get('t');
      return render(c, '/admin/views/templateReset', {
        title: t('admin.templates.resetTitle'),
        key,
        lang,
        question: t('admin.templates.resetQuestion', { key: t(`admin.templates.keys.${key}`), lang: langName(c, lang) }),
      });
    }
    await resetTemplate(c.get('deps').db, key, lang);
    return c.redirect(`${PAGE}/${key}/${lang}?klart=reset`, 303);
  });

  return app;
}
