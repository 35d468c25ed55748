// A closed conversation's anonymous outcome (issue 17), and the closed notice's count. The outcome
// is a count: the conversation's row only notes that it was recorded (outcome_recorded_at), and
// chat_outcome adds one to the key of the Stockholm hour the conversation started, its topic, age
// band and result. Nothing in it leads back to the visitor, the conversation or its transcript, and
// it stays when the transcript goes. The queue's own tallies are written by a trigger (migration
// 20261209103000_chat_tally_counting); only the closed notice, which has no row, is counted here.
import { z } from 'zod';
import { DbTypes, type Db } from '../db';
import { OUTCOME_FIELDS, stockholmHourKey, type OutcomeField } from '../../rules/chatOutcome';

export interface OutcomeChoice {
  id: string;
  field: OutcomeField;
  label: string;
  position: number;
  earlySupport: boolean;
  retiredAt: Date | null;
}

export type ChoicesByField = Record<OutcomeField, OutcomeChoice[]>;

/** The choices of each question in the admin's order; retired ones only when asked for. */
export async function loadOutcomeChoices(db: Pick<Db, 'chatOutcomeChoice'>, options: { withRetired?: boolean } = {}): Promise<ChoicesByField> {
  const rows = await db.chatOutcomeChoice.findMany({
    where: options.withRetired ? {} : { retiredAt: null },
    orderBy: [{ position: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, field: true, label: true, position: true, earlySupport: true, retiredAt: true },
  });
  const out = Object.fromEntries(OUTCOME_FIELDS.map((f) => [f, [] as OutcomeChoice[]])) as ChoicesByField;
  for (const row of rows) out[row.field].push(row);
  return out;
}

/** The conversations whose outcome this counsellor has still to record (rules/chatOutcome.ts needsOutcome, as a filter). */
export function missingOutcomeWhere(counsellorId: string): DbTypes.Prisma.ChatConversationWhereInput {
  return { counsellorId, status: 'closed', assignedAt: { not: null }, outcomeRecordedAt: null };
}

export interface MissingOutcome {
  id: string;
  createdAt: Date;
  closedAt: Date | null;
  closedReason: string | null;
}

/** Shown at most: a longer list is a backlog the count says enough about. */
export const MISSING_SHOWN = 50;

/** The counsellor's conversations without an outcome, oldest close first, and how many there are. */
export async function missingOutcomes(db: Pick<Db, 'chatConversation'>, counsellorId: string): Promise<{ total: number; rows: MissingOutcome[] }> {
  const where = missingOutcomeWhere(counsellorId);
  const [total, rows] = await Promise.all([
    db.chatConversation.count({ where }),
    db.chatConversation.findMany({
      where,
      orderBy: [{ closedAt: 'asc' }, { id: 'asc' }],
      take: MISSING_SHOWN,
      select: { id: true, createdAt: true, closedAt: true, closedReason: true },
    }),
  ]);
  return { total, rows };
}

// ---- recording -----------------------------------------------------------------------------------

const choiceId = (message: string) => z.uuid(message);
const isUuid = (v: string) => z.uuid().safeParse(v).success;

/** The counsellor's form: a topic and a result; an age band only if the visitor said it (empty = "Ej angett"). */
export const OutcomeForm = z.object({
  topic: choiceId('chatConsole.outcome.errors.topic'),
  ageBand: z
    .string()
    .refine((v) => v === '' || isUuid(v), 'chatConsole.outcome.errors.ageBand')
    .transform((v) => v || null),
  result: choiceId('chatConsole.outcome.errors.result'),
});
export type OutcomeAnswers = z.infer<typeof OutcomeForm>;

export type RecordOutcomeResult =
  | { ok: true }
  | { ok: false; code: 'already-recorded' | 'not-closed' | 'not-yours' }
  /** A choice that is not (any longer) one of its question's: the field and the message's key. */
  | { ok: false; code: 'invalid'; errors: Partial<Record<OutcomeField, string>> };

/** The database's clock as the UTC wall time the `timestamp(3)` columns hold. */
const NOW = DbTypes.Prisma.sql`(now() AT TIME ZONE 'UTC')`;

/**
 * Records the outcome once: notes it on the conversation and adds one to its key, in one
 * transaction, only while the conversation still lacks one (a double submit or a second tab
 * records once: the second finds it noted). Only the counsellor who held the conversation when it
 * closed may; the routes ask lib/policy first. The chosen answers are held against deletion until
 * the count is written.
 */
export async function recordOutcome(db: Db, input: { conversationId: string; counsellorId: string } & OutcomeAnswers): Promise<RecordOutcomeResult> {
  if (!isUuid(input.conversationId) || !isUuid(input.counsellorId)) return { ok: false, code: 'not-yours' };
  return db.$transaction(async (tx) => {
    const wanted = { topic: input.topic, ageBand: input.ageBand, result: input.result };
    const ids = Object.values(wanted).filter((id): id is string => !!id);
    const choices = await tx.$queryRaw<{ id: string; field: OutcomeField; retired: boolean }[]>`
      SELECT id::text AS id, field::text AS field, retired_at IS NOT NULL AS retired
        FROM chat_outcome_choice WHERE id = ANY(${ids}::uuid[]) FOR SHARE`;
    const errors: Partial<Record<OutcomeField, string>> = {};
    for (const field of OUTCOME_FIELDS) {
      const id = wanted[field];
      if (!id) continue;
      const choice = choices.find((c) => c.id === id);
      if (!choice || choice.field !== field || choice.retired) errors[field] = 'chatConsole.outcome.errors.gone';
    }
    if (Object.keys(errors).length) return { ok: false, code: 'invalid', errors };

    const noted = await tx.$queryRaw<{ created_at: Date }[]>`
      UPDATE chat_conversation SET outcome_recorded_at = ${NOW}
       WHERE id = ${input.conversationId}::uuid AND counsellor_id = ${input.counsellorId}::uuid
         AND status = 'closed' AND assigned_at IS NOT NULL AND outcome_recorded_at IS NULL
      RETURNING created_at`;
    if (!noted.length) {
      const row = await tx.chatConversation.findUnique({ where: { id: input.conversationId }, select: { status: true, counsellorId: true, outcomeRecordedAt: true } });
      if (!row || row.counsellorId !== input.counsellorId) return { ok: false, code: 'not-yours' };
      return { ok: false, code: row.status === 'closed' && row.outcomeRecordedAt ? 'already-recorded' : 'not-closed' };
    }
    const { day, hour } = stockholmHourKey(noted[0].created_at);
    await tx.$executeRaw`
      INSERT INTO chat_outcome (day, hour, topic_id, age_band_id, result_id, n)
      VALUES (${day}::date, ${hour}, ${input.topic}::uuid, ${input.ageBand}::uuid, ${input.result}::uuid, 1)
      ON CONFLICT (day, hour, topic_id, age_band_id, result_id) DO UPDATE SET n = chat_outcome.n + 1`;
    return { ok: true };
  });
}

// ---- the closed notice ------------------------------------------------------------------------------

/** One more visitor met the closed notice in this Stockholm hour (the route counts a browser once a day). */
export async function countClosedNotice(db: Pick<Db, '$executeRaw'>, at: Date = new Date()): Promise<void> {
  const { day, hour } = stockholmHourKey(at);
  await db.$executeRaw`
    INSERT INTO chat_tally (day, hour, kind, wait_seconds, n)
    VALUES (${day}::date, ${hour}, 'closedNotice'::"ChatTallyKind", NULL, 1)
    ON CONFLICT (day, hour, kind, wait_seconds) DO UPDATE SET n = chat_tally.n + 1`;
}
