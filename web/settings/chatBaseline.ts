// The admin's baseline for the chat's second goal (issue 17): early advice and support efforts in a
// year before the chat, and which year. A section of the settings page; the statistics' chat
// section compares the efforts the counsellors record with it (lib/statistics/chatBaseline.ts).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { saveChatBaseline, type ChatBaseline } from '../../lib/statistics/chatBaseline';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import type { AppEnv } from '../context';
import { requireArea } from '../security/guards';

const PATH = '/personal/installningar/chattens-mal';

/** The form: the number as typed (spaces between thousands allowed; empty removes the baseline). */
export const ChatBaselineForm = z.object({
  baselineEfforts: z
    .string()
    .transform((v) => v.replace(/\s/g, ''))
    .refine((v) => v === '' || (/^\d{1,7}$/.test(v) && Number(v) >= 1 && Number(v) <= 1_000_000), { error: 'settings.chatBaseline.errors.efforts' })
    .transform((v) => (v === '' ? null : Number(v))),
  baselineYear: z.string().trim().max(40, { error: 'settings.chatBaseline.errors.year' }),
});

/** The stored baseline as the form shows it. */
export function chatBaselineFormValues(b: ChatBaseline): Record<string, string> {
  return { baselineEfforts: b.earlySupportPerYear === null ? '' : String(b.earlySupportPerYear), baselineYear: b.yearLabel };
}

type ShowPage = (c: Context<AppEnv>, values?: Record<string, string>, errors?: Record<string, string>) => Promise<Response>;

/** The section's form posts here; a wrong field is shown beside it on the settings page (422). */
export function chatBaselineRoutes(showPage: ShowPage) {
  const app = new Hono<AppEnv>();
  app.post(PATH, requireArea('administration'), async (c) => {
    const form = await c.req.parseBody();
    const values = { baselineEfforts: String(form.baselineEfforts ?? ''), baselineYear: String(form.baselineYear ?? '') };
    const parsed = ChatBaselineForm.safeParse(values);
    if (!parsed.success) return showPage(c, values, fieldErrors(parsed.error));
    await saveChatBaseline(c.get('deps').db, { earlySupportPerYear: parsed.data.baselineEfforts, yearLabel: parsed.data.baselineYear }, c.get('user')!.id);
    return c.redirect('/personal/installningar?chattmal=1#chat-baseline-heading', 303);
  });
  return app;
}
