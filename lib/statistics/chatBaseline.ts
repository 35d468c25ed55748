// The baseline the chat's second goal is measured against (issue 17, seed 000: "early advice and
// support efforts increase by 100 %"): how many early advice and support efforts social services
// made in a year before the chat, and which year that was. The admin sets it; the statistics
// compare the efforts the counsellors record with it. Stored in the `setting` table.
import { z } from 'zod';
import type { Db } from '../db';
import { loadSetting, saveSetting } from '../settings';

/** The goal: twice the efforts of the year before the chat (+100 %). */
export const EARLY_SUPPORT_GOAL_FACTOR = 2;

export const ChatBaselineSchema = z.object({
  /** Early advice and support efforts in a whole year before the chat; null: not set yet. */
  earlySupportPerYear: z.number().int().min(1).max(1_000_000).nullable(),
  /** Which year that was, as the admin writes it ("2014"); empty when not said. */
  yearLabel: z.string().trim().max(40),
});
export type ChatBaseline = z.infer<typeof ChatBaselineSchema>;

export const DEFAULT_CHAT_BASELINE: ChatBaseline = { earlySupportPerYear: null, yearLabel: '' };

const KEY = 'chatBaseline';

export function loadChatBaseline(db: Pick<Db, 'setting'>): Promise<ChatBaseline> {
  return loadSetting(db, KEY, ChatBaselineSchema, DEFAULT_CHAT_BASELINE);
}

export function saveChatBaseline(db: Pick<Db, 'setting'>, baseline: ChatBaseline, updatedBy: string | null): Promise<ChatBaseline> {
  return saveSetting(db, KEY, ChatBaselineSchema, DEFAULT_CHAT_BASELINE, baseline, updatedBy);
}
