// What social services set for the chat (R10.2, R10.4): opening hours per weekday, holidays and
// exceptions, how long transcripts are kept, when a silent visitor is asked and then let go, how
// many conversations a counsellor holds at once, the guidelines and the prepared texts. Stored in
// the `setting` table like the case timings; defaults here.
import { z } from 'zod';
import type { Db } from '../db';
import { loadSetting, saveSetting } from '../settings';

const MINUTE = 60_000;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const TimeRangeSchema = z
  .object({
    from: z.string().regex(HHMM, { error: 'chatAdmin.errors.time' }),
    to: z.string().regex(HHMM, { error: 'chatAdmin.errors.time' }),
  })
  .refine((r) => r.from < r.to, { error: 'chatAdmin.errors.range', path: ['to'] });
export type TimeRange = z.infer<typeof TimeRangeSchema>;

export const ExceptionSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'chatAdmin.errors.date' }),
  /** No ranges: closed all day (a holiday). */
  hours: z.array(TimeRangeSchema).max(4),
  note: z.string().trim().max(80).default(''),
});
export type OpeningException = z.infer<typeof ExceptionSchema>;

export const PreparedTextSchema = z.object({
  title: z.string().trim().min(1, { error: 'chatAdmin.errors.title' }).max(80, { error: 'chatAdmin.errors.title' }),
  body: z.string().trim().min(1, { error: 'chatAdmin.errors.body' }).max(1000, { error: 'chatAdmin.errors.body' }),
});

export const ChatSettingsSchema = z.object({
  weekly: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(TimeRangeSchema).max(4)])) as Record<Weekday, z.ZodArray<typeof TimeRangeSchema>>),
  exceptions: z.array(ExceptionSchema).max(200),
  /** How long a closed anonymous chat's transcript is kept; 0 = deleted when it closes (R10.4). */
  retentionMs: z.number().int().min(0).max(90 * 24 * 60 * MINUTE),
  /** A visitor silent this long is asked whether they are still there … */
  inactivityAskMs: z.number().int().min(1000).max(60 * MINUTE),
  /** … and the chat closes if they stay silent this much longer. */
  inactivityCloseMs: z.number().int().min(1000).max(60 * MINUTE),
  maxPerCounsellor: z.number().int().min(1).max(10),
  /** Visitors that may wait at once; the next one is told the chat is full and where else to turn. */
  maxQueue: z.number().int().min(1).max(1000),
  /**
   * New chats one client address may start per 10 minutes (issue 14: fresh cookies are free, an
   * address is not). Above one per visitor, for a school or library network behind one address.
   */
  startsPerAddress: z.number().int().min(1).max(1000),
  guidelines: z.string().max(5000),
  preparedTexts: z.array(PreparedTextSchema).max(50),
});
export type ChatSettings = z.infer<typeof ChatSettingsSchema>;

const weekday = (ranges: TimeRange[]) => ranges;
export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  weekly: {
    mon: weekday([{ from: '10:00', to: '16:00' }]),
    tue: weekday([{ from: '10:00', to: '16:00' }]),
    wed: weekday([{ from: '10:00', to: '16:00' }]),
    thu: weekday([{ from: '10:00', to: '16:00' }, { from: '18:00', to: '20:00' }]),
    fri: weekday([{ from: '10:00', to: '15:00' }]),
    sat: [],
    sun: [],
  },
  exceptions: [],
  retentionMs: 0,
  inactivityAskMs: 5 * MINUTE,
  inactivityCloseMs: 3 * MINUTE,
  maxPerCounsellor: 3,
  maxQueue: 30,
  startsPerAddress: 10,
  guidelines:
    'Skriv kort, vänligt och på enkel svenska. Fråga hellre än anta. Lova aldrig mer än socialtjänsten kan hålla. ' +
    'Be inte om namn eller personnummer. Vid oro för ett barn: berätta att du kan behöva göra en orosanmälan. ' +
    'Vid akut fara: hänvisa till 112.',
  preparedTexts: [
    { title: 'Hälsning', body: 'Hej! Du chattar med socialtjänsten i Stockholms stad. Vad vill du prata om?' },
    { title: 'Akut läge', body: 'Om du är i fara just nu: ring 112. Socialjouren nås dygnet runt på 08-508 40 000.' },
    { title: 'Avslutning', body: 'Tack för att du skrev till oss. Du är välkommen tillbaka när vi har öppet.' },
  ],
};

const KEY = 'chat';

export function loadChatSettings(db: Pick<Db, 'setting'>): Promise<ChatSettings> {
  return loadSetting(db, KEY, ChatSettingsSchema, DEFAULT_CHAT_SETTINGS);
}

export function saveChatSettings(db: Pick<Db, 'setting'>, settings: Partial<ChatSettings>, updatedBy: string | null): Promise<ChatSettings> {
  return saveSetting(db, KEY, ChatSettingsSchema, DEFAULT_CHAT_SETTINGS, settings, updatedBy);
}
