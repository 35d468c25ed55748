// The admin's list of answers for a chat's outcome (issue 17): add, rename, reorder, mark a result
// as early support, retire and restore, and delete one never used. A used choice is only retired,
// so the figures already counted keep their label (rules/chatOutcome.ts says which may go). Each
// change that depends on what else is there (the order, the last choice in use, the uses) is made
// under a lock on the question's choices, and deleting holds the choice against a counsellor's
// recording at the same moment (lib/chat/outcomes.ts recordOutcome takes it FOR SHARE).
import { z } from 'zod';
import { DbTypes, type Db } from '../db';
import {
  hasEarlySupport,
  mayDeleteChoice,
  mayRetireChoice,
  OUTCOME_CHOICES_MAX,
  OUTCOME_LABEL_MAX,
  type OutcomeField,
} from '../../rules/chatOutcome';
import { loadOutcomeChoices, type OutcomeChoice } from './outcomes';

type Tx = DbTypes.Prisma.TransactionClient;

/** A choice's form: its label (spaces tidied) and, for a result, whether it is early support. */
export const ChoiceForm = z.object({
  label: z
    .string()
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'chatAdmin.outcomes.errors.label').max(OUTCOME_LABEL_MAX, 'chatAdmin.outcomes.errors.labelLong')),
  earlySupport: z.string().optional().transform((v) => v === 'on' || v === 'yes' || v === '1'),
});
export type ChoiceInput = z.infer<typeof ChoiceForm>;

export interface ChoiceRow extends OutcomeChoice {
  /** Conversations whose recorded outcome names it. */
  uses: number;
}

/** How many recorded outcomes name each choice (as topic, age band or result). */
async function usesOf(db: Pick<Db, '$queryRaw'> | Tx, ids?: string[]): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<{ id: string; uses: number }[]>`
    SELECT u.id::text AS id, sum(u.n)::int AS uses FROM (
      SELECT topic_id AS id, n FROM chat_outcome
      UNION ALL SELECT age_band_id, n FROM chat_outcome WHERE age_band_id IS NOT NULL
      UNION ALL SELECT result_id, n FROM chat_outcome
    ) u
    ${ids ? DbTypes.Prisma.sql`WHERE u.id = ANY(${ids}::uuid[])` : DbTypes.Prisma.empty}
    GROUP BY u.id`;
  return new Map(rows.map((r) => [r.id, r.uses]));
}

/** Every choice of every question, retired ones too, with its uses: the admin's page. */
export async function choicesWithUses(db: Db): Promise<Record<OutcomeField, ChoiceRow[]>> {
  const [choices, uses] = await Promise.all([loadOutcomeChoices(db, { withRetired: true }), usesOf(db)]);
  const withUses = (list: OutcomeChoice[]) => list.map((c) => ({ ...c, uses: uses.get(c.id) ?? 0 }));
  return { topic: withUses(choices.topic), ageBand: withUses(choices.ageBand), result: withUses(choices.result) };
}

/** How many recorded outcomes name this choice. */
export async function usesOfChoice(db: Db, id: string): Promise<number> {
  return (await usesOf(db, [id])).get(id) ?? 0;
}

export async function findChoice(db: Pick<Db, 'chatOutcomeChoice'>, id: string): Promise<OutcomeChoice | null> {
  if (!z.uuid().safeParse(id).success) return null;
  return db.chatOutcomeChoice.findUnique({ where: { id }, select: { id: true, field: true, label: true, position: true, earlySupport: true, retiredAt: true } });
}

/** The question's choices under a lock, in order: the changes below see what the others left. */
async function lockField(tx: Tx, field: OutcomeField) {
  return tx.$queryRaw<{ id: string; label: string; position: number; retired: boolean }[]>`
    SELECT id::text AS id, label, position, retired_at IS NOT NULL AS retired
      FROM chat_outcome_choice WHERE field = ${field}::"ChatOutcomeField"
     ORDER BY position, created_at, id FOR UPDATE`;
}

const sameLabel = (a: string, b: string) => a.localeCompare(b, 'sv', { sensitivity: 'accent' }) === 0;

export type ChoiceChange = { ok: true; id: string } | { ok: false; errors: Record<string, string> };
export type ChoiceAction = { ok: true } | { ok: false; code: 'not-found' | 'in-use' | 'last-active' | 'retired' | 'label-taken' };

type LockedRow = Awaited<ReturnType<typeof lockField>>[number];
const notFound = { ok: false as const, code: 'not-found' as const };

/** Runs `change` on a choice with its question's choices locked; a choice that is not there (or gone meanwhile) is not-found. */
async function withLockedChoice<R>(
  db: Db,
  id: string,
  change: (tx: Tx, row: LockedRow, rows: LockedRow[], choice: OutcomeChoice) => Promise<R>,
): Promise<R | typeof notFound> {
  const choice = await findChoice(db, id);
  if (!choice) return notFound;
  return db.$transaction(async (tx) => {
    const rows = await lockField(tx, choice.field);
    const row = rows.find((r) => r.id === id);
    return row ? change(tx, row, rows, choice) : notFound;
  });
}

/** Adds a choice last in its question; a label already in use there (retired ones aside) is refused. */
export async function addChoice(db: Db, field: OutcomeField, input: ChoiceInput): Promise<ChoiceChange> {
  return db.$transaction(async (tx) => {
    const rows = await lockField(tx, field);
    if (rows.length >= OUTCOME_CHOICES_MAX) return { ok: false, errors: { label: 'chatAdmin.outcomes.errors.tooMany' } };
    if (rows.some((r) => !r.retired && sameLabel(r.label, input.label))) return { ok: false, errors: { label: 'chatAdmin.outcomes.errors.labelTaken' } };
    const position = rows.reduce((max, r) => Math.max(max, r.position + 1), 0);
    const made = await tx.chatOutcomeChoice.create({
      data: { field, label: input.label, position, earlySupport: hasEarlySupport(field) && input.earlySupport },
      select: { id: true },
    });
    return { ok: true, id: made.id };
  });
}

/**
 * Renames a choice (it shows under the new name in earlier figures too: a change of meaning is a
 * new choice, with the old one retired) and, for a result, sets whether it is early support.
 */
export async function editChoice(db: Db, id: string, input: ChoiceInput): Promise<ChoiceChange | typeof notFound> {
  return withLockedChoice(db, id, async (tx, _row, rows, choice) => {
    if (rows.some((r) => r.id !== id && !r.retired && sameLabel(r.label, input.label))) return { ok: false as const, errors: { label: 'chatAdmin.outcomes.errors.labelTaken' } };
    await tx.chatOutcomeChoice.update({ where: { id }, data: { label: input.label, earlySupport: hasEarlySupport(choice.field) && input.earlySupport } });
    return { ok: true as const, id };
  });
}

/**
 * Moves a choice in use one place up or down in its question (the order the counsellor's form
 * shows). The question is numbered afresh, the choices in use first: equal positions (two added at
 * once) get an order of their own, and retired choices wait at the end.
 */
export async function moveChoice(db: Db, id: string, direction: 'up' | 'down'): Promise<ChoiceAction> {
  return withLockedChoice(db, id, async (tx, row, rows) => {
    if (row.retired) return { ok: false as const, code: 'retired' as const };
    const active = rows.filter((r) => !r.retired).map((r) => r.id);
    const from = active.indexOf(id);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= active.length) return { ok: true as const }; // already first or last
    [active[from], active[to]] = [active[to], active[from]];
    const order = [...active, ...rows.filter((r) => r.retired).map((r) => r.id)];
    await tx.$executeRaw`
      UPDATE chat_outcome_choice c SET position = (o.n - 1)::int
        FROM unnest(${order}::uuid[]) WITH ORDINALITY AS o(id, n)
       WHERE c.id = o.id AND c.position <> o.n - 1`;
    return { ok: true as const };
  });
}

/** Takes a choice out of the counsellor's form; its figures stay under its label. */
export async function retireChoice(db: Db, id: string): Promise<ChoiceAction> {
  return withLockedChoice(db, id, async (tx, row, rows, choice) => {
    const verdict = mayRetireChoice({ field: choice.field, retired: row.retired }, rows.filter((r) => !r.retired).length);
    if (verdict === 'retired') return { ok: true as const };
    if (verdict !== 'ok') return { ok: false as const, code: verdict };
    await tx.$executeRaw`UPDATE chat_outcome_choice SET retired_at = (now() AT TIME ZONE 'UTC') WHERE id = ${id}::uuid`;
    return { ok: true as const };
  });
}

/** Puts a retired choice back in the form, last, unless a choice in use there has its label now. */
export async function restoreChoice(db: Db, id: string): Promise<ChoiceAction> {
  return withLockedChoice(db, id, async (tx, row, rows) => {
    if (!row.retired) return { ok: true as const };
    if (rows.some((r) => r.id !== id && !r.retired && sameLabel(r.label, row.label))) return { ok: false as const, code: 'label-taken' as const };
    const last = rows.reduce((max, r) => Math.max(max, r.position + 1), 0);
    await tx.$executeRaw`UPDATE chat_outcome_choice SET retired_at = NULL, position = ${last} WHERE id = ${id}::uuid`;
    return { ok: true as const };
  });
}

/** Deletes a choice no recorded outcome names; one in use can only be retired. */
export async function deleteChoice(db: Db, id: string): Promise<ChoiceAction> {
  return withLockedChoice(db, id, async (tx, row, rows, choice) => {
    const uses = (await usesOf(tx, [id])).get(id) ?? 0;
    const verdict = mayDeleteChoice({ field: choice.field, retired: row.retired, uses }, rows.filter((r) => !r.retired).length);
    if (verdict !== 'ok') return { ok: false as const, code: verdict };
    await tx.chatOutcomeChoice.delete({ where: { id } });
    return { ok: true as const };
  });
}
