// What the counsellor's console reads (R10.3): their duty, the queue, their open conversations and
// which of them wait for an answer, their closed ones whose outcome is still missing (issue 17),
// the colleagues on duty, and one "has anything changed" stamp for the live view. Conversations are looked up for their assigned counsellor only.
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { loadChatSettings } from '../../lib/chat/chatSettings';
import type { ChatDeps } from '../../lib/chat/conversations';
import { chatHub } from '../../lib/chat/hub';
import { openingState } from '../../lib/chat/openingHours';
import { missingOutcomes, type MissingOutcome } from '../../lib/chat/outcomes';
import { DbTypes, type Db } from '../../lib/db';
import type { AppEnv } from '../context';

export function chatDepsOf(c: Context<AppEnv>): ChatDeps {
  const { db, temporal, config } = c.get('deps');
  return { db, temporal, config, hub: chatHub };
}

export type ConversationRow = DbTypes.ChatConversation;

/** The conversation if it is assigned to this counsellor; anyone else gets 404, as for a missing one. */
export async function ownConversation(c: Context<AppEnv>): Promise<ConversationRow> {
  const id = c.req.param('id') ?? '';
  const row = z.uuid().safeParse(id).success ? await c.get('deps').db.chatConversation.findUnique({ where: { id } }) : null;
  if (!row || row.counsellorId !== c.get('user')!.id) throw new HTTPException(404);
  return row;
}

export interface MyConversation {
  id: string;
  createdAt: Date;
  assignedAt: Date | null;
  /** The last message is the visitor's: they wait for an answer. */
  awaitingReply: boolean;
  lastSeq: number;
}

export async function onDutyColleagues(db: Db, counsellorId: string) {
  const rows = await db.chatDuty.findMany({
    where: { personId: { not: counsellorId }, person: { grants: { some: { role: 'counsellor' } } } },
    select: { person: { select: { id: true, name: true, email: true } } },
  });
  return rows.map((r) => r.person).sort((a, b) => (a.name ?? a.email).localeCompare(b.name ?? b.email, 'sv'));
}

export interface PanelData {
  onDutySince: Date | null;
  onDutyCount: number;
  queue: { count: number; oldestAt: Date | null };
  mine: MyConversation[];
  maxPerCounsellor: number;
  opening: ReturnType<typeof openingState>;
  /** Their closed conversations whose outcome they have still to record. */
  missing: { total: number; rows: MissingOutcome[] };
}

interface PanelRow {
  onDutySince: Date | null;
  onDutyCount: number;
  queueCount: number;
  oldestAt: Date | null;
  id: string | null;
  createdAt: Date | null;
  assignedAt: Date | null;
  lastSeq: number | null;
  lastSender: string | null;
}

/**
 * Everything the panel shows but the settings and the missing outcomes (a partial index keeps those
 * to the few), in one query (the live view reads it often): the figures on a row of their own,
 * joined to the counsellor's open conversations and each one's last message (which says whether
 * the visitor waits for an answer).
 */
export async function panelData(db: Db, counsellorId: string): Promise<PanelData> {
  const [rows, settings, missing] = await Promise.all([
    db.$queryRaw<PanelRow[]>`
      SELECT s.*, c.id::text AS id, c.created_at AS "createdAt", c.assigned_at AS "assignedAt", c.last_seq AS "lastSeq", m.sender::text AS "lastSender"
        FROM (SELECT (SELECT since FROM chat_duty WHERE person_id = ${counsellorId}::uuid) AS "onDutySince",
                     (SELECT count(*)::int FROM chat_duty) AS "onDutyCount",
                     (SELECT count(*)::int FROM chat_conversation WHERE status = 'waiting') AS "queueCount",
                     (SELECT min(created_at) FROM chat_conversation WHERE status = 'waiting') AS "oldestAt") s
        LEFT JOIN chat_conversation c ON c.counsellor_id = ${counsellorId}::uuid AND c.status = 'active'
        LEFT JOIN chat_message m ON m.conversation_id = c.id AND m.seq = c.last_seq
       ORDER BY c.assigned_at, c.id`,
    loadChatSettings(db),
    missingOutcomes(db, counsellorId),
  ]);
  const [first] = rows;
  return {
    onDutySince: first.onDutySince,
    onDutyCount: first.onDutyCount,
    queue: { count: first.queueCount, oldestAt: first.oldestAt },
    mine: rows
      .filter((r) => r.id !== null)
      .map((r) => ({ id: r.id!, createdAt: r.createdAt!, assignedAt: r.assignedAt, lastSeq: r.lastSeq ?? 0, awaitingReply: r.lastSender === 'visitor' })),
    maxPerCounsellor: settings.maxPerCounsellor,
    opening: openingState(settings),
    missing,
  };
}

/**
 * What the live view compares: when it changes, the console panel is fetched again. The page
 * carries the stamp it was rendered with into its stream's address, so a change between the page
 * and the stream's first read (or during a reconnect) still refreshes it.
 */
export function panelStamp(p: PanelData): string {
  const state = JSON.stringify([
    !!p.onDutySince,
    p.onDutyCount,
    p.queue.count,
    p.queue.oldestAt?.getTime() ?? null,
    p.mine.map((m) => `${m.id}:${m.lastSeq}:${m.awaitingReply ? 1 : 0}`),
    p.missing.total,
    p.missing.rows.map((m) => m.id),
  ]);
  return createHash('sha256').update(state).digest('base64url').slice(0, 16);
}

/** The stamp a page sent along (`?stamp=`), or '' (then the first read sets it). */
export function sentStamp(value: string | undefined): string {
  return value && /^[A-Za-z0-9_-]{16}$/.test(value) ? value : '';
}

/** A short, non-identifying label for an anonymous conversation: its start time and a code. */
export function conversationCode(id: string): string {
  return id.replace(/-/g, '').slice(0, 4).toUpperCase();
}

/** The least time between two rebuilds of one stream's panel (ms). */
export const PANEL_MIN_MS = 1000;

/** Orders "something changed" marks and panel builds in this process (a counter, not a clock). */
let tick = 0;
/** The latest panel build per counsellor, shared by all their open streams in this process. */
const latestBuild = new Map<string, { startedAt: number; startedMs: number; panel: Promise<PanelData> }>();

/**
 * The counsellor's panel: the latest build when it started after `mark` (a change noted then), or,
 * without a mark (only the periodic look), when it is under PANEL_MIN_MS old; else a new build.
 */
function sharedPanel(db: Db, counsellorId: string, mark: number | null): Promise<PanelData> {
  const latest = latestBuild.get(counsellorId);
  if (latest && (mark === null ? Date.now() - latest.startedMs < PANEL_MIN_MS : latest.startedAt > mark)) return latest.panel;
  const build = { startedAt: ++tick, startedMs: Date.now(), panel: panelData(db, counsellorId) };
  latestBuild.set(counsellorId, build);
  build.panel.catch(() => latestBuild.get(counsellorId) === build && latestBuild.delete(counsellorId));
  return build.panel;
}

/**
 * A stream's watch on the counsellor's panel. Every message in any of their conversations changes
 * the panel, and a counsellor may have ten conversation streams open, all woken by the same nudge:
 * rebuilding the panel in each of them for every message is what slowed delivery under load. So
 * the streams of one counsellor share a build that started after their wake-up (never an older
 * one, which could miss the change), the periodic look takes any build under a second old, and
 * each stream looks at most once per PANEL_MIN_MS; `waitMs` keeps a due look from waiting longer.
 */
export function followPanel(db: Db, counsellorId: string, stamp: string) {
  /** 'fresh': a nudge came (build after `mark`); 'recent': only the periodic look is due. */
  let due: 'fresh' | 'recent' | null = 'fresh';
  let mark = ++tick;
  let lookedAt = 0;
  let mine: string[] = [];
  return {
    /** The conversation ids the panel showed at the last look. */
    mine: () => mine,
    /** Something the panel shows may have changed (a nudge). */
    markDirty() {
      [due, mark] = ['fresh', ++tick];
    },
    /** The periodic look (a change made by another process shows up this way). */
    markStale() {
      due ??= 'recent';
    },
    /** How long the stream may wait before its next look (at most `max`). */
    waitMs(max: number): number {
      return due === null ? max : Math.min(max, Math.max(0, lookedAt + PANEL_MIN_MS - Date.now()));
    },
    /** Looks at the panel when due; says whether it changed since the stamp last seen (and the queue). */
    async refresh(): Promise<{ changed: boolean; queue: number } | null> {
      if (due === null || Date.now() - lookedAt < PANEL_MIN_MS) return null;
      const after = due === 'fresh' ? mark : null;
      [due, lookedAt] = [null, Date.now()];
      const panel = await sharedPanel(db, counsellorId, after);
      mine = panel.mine.map((m) => m.id);
      const now = panelStamp(panel);
      const changed = stamp !== '' && now !== stamp;
      stamp = now;
      return { changed, queue: panel.queue.count };
    },
  };
}
