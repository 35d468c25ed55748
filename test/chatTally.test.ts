// chat_tally counts the chat's queue as conversations leave it, whoever moves them (migration
// 20261209103000_chat_tally_counting): answered (taken) with the wait until a counsellor took it,
// abandoned (closed before that) with the wait until it closed, keyed by the Stockholm day and hour
// the conversation started and the wait rounded up to whole 10 s. The conversations already there
// are counted by the migration itself. Every expected row is worked out by hand below, and the
// TypeScript rule (rules/chatOutcome.ts queueTally) is held to the same answers.
// The migrations are applied as Prisma's runner does (adapter-pg cuts the script at every semicolon).
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueTally } from '../rules/chatOutcome';
import { adminQuery, databaseUrl } from './support/database';

const MIGRATIONS = new URL('../prisma/migrations/', import.meta.url);
const COUNTING = '20261209103000_chat_tally_counting';

const name = `komet_m_${randomBytes(6).toString('hex')}`;
let client: pg.Client;

async function applyLikePrisma(migration: string) {
  const script = readFileSync(new URL(`${migration}/migration.sql`, MIGRATIONS), 'utf8');
  for (const statement of script.split(';').map((s) => s.trim()).filter(Boolean)) await client.query(statement);
}

const migrations = () => readdirSync(MIGRATIONS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

beforeAll(async () => {
  await adminQuery(`CREATE DATABASE ${name}`);
  client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  for (const migration of migrations().filter((m) => m < COUNTING)) await applyLikePrisma(migration);
});
afterAll(async () => {
  await client?.end();
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
type Row = { day: string; hour: number; kind: string; wait: number | null; n: number };

/** The tally, in a fixed order (day as text: no time zone between the database and the test). */
async function tally(): Promise<Row[]> {
  const { rows } = await client.query<Row>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, hour, kind::text AS kind, wait_seconds AS wait, n FROM chat_tally ORDER BY day, hour, kind::text, wait_seconds`,
  );
  return rows;
}

/** A conversation as the lib stores it: UTC wall times in timestamp(3) columns. */
async function insert(n: number, status: string, createdAt: string, more: { assignedAt?: string; closedAt?: string; reason?: string } = {}) {
  await client.query(
    `INSERT INTO chat_conversation (id, visitor_key_hash, status, created_at, assigned_at, closed_at, closed_reason, last_visitor_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $4)`,
    [id(n), `hash-${n}`, status, createdAt, more.assignedAt ?? null, more.closedAt ?? null, more.reason ?? null],
  );
}

/** The TypeScript rule's answer for the same times (read as UTC, as the lib reads them). */
const utc = (wall: string) => new Date(`${wall.replace(' ', 'T')}Z`);
function byRule(createdAt: string, assignedAt: string | null, closedAt: string | null) {
  const r = queueTally({ createdAt: utc(createdAt), assignedAt: assignedAt ? utc(assignedAt) : null, closedAt: closedAt ? utc(closedAt) : null }, new Date());
  return { day: r.day, hour: r.hour, kind: r.kind, wait: r.waitSeconds };
}

describe('chat_tally', () => {
  it('counts the conversations that had left the queue before the migration, and none still waiting', async () => {
    await insert(1, 'waiting', '2026-12-09 15:00:00.000');
    // 13:59:55 UTC is 14:59:55 in Stockholm (winter time); taken 65 s later: 70 s.
    await insert(2, 'active', '2026-12-09 13:59:55.000', { assignedAt: '2026-12-09 14:01:00.000' });
    // Taken the moment it came: 0 s, in the 15 o'clock hour; closed later, which changes nothing.
    await insert(3, 'closed', '2026-12-09 14:00:00.000', { assignedAt: '2026-12-09 14:00:00.000', closedAt: '2026-12-09 14:30:00.000', reason: 'counsellor' });
    // Two left before anyone answered, after 120.5 s and 120.4 s: both 130 s, one key.
    await insert(4, 'closed', '2026-12-09 14:10:00.000', { closedAt: '2026-12-09 14:12:00.500', reason: 'visitor' });
    await insert(5, 'closed', '2026-12-09 14:20:00.000', { closedAt: '2026-12-09 14:22:00.400', reason: 'inactivity' });
    // 22:30 UTC on 30 June is 00:30 on 1 July in Stockholm (summer time); exactly 10 s stays 10.
    await insert(6, 'closed', '2026-06-30 22:30:00.000', { assignedAt: '2026-06-30 22:30:10.000', closedAt: '2026-06-30 23:00:00.000', reason: 'visitor' });

    await applyLikePrisma(COUNTING);

    const expected: Row[] = [
      { day: '2026-07-01', hour: 0, kind: 'answered', wait: 10, n: 1 },
      { day: '2026-12-09', hour: 14, kind: 'answered', wait: 70, n: 1 },
      { day: '2026-12-09', hour: 15, kind: 'abandoned', wait: 130, n: 2 },
      { day: '2026-12-09', hour: 15, kind: 'answered', wait: 0, n: 1 },
    ];
    expect(await tally()).toEqual(expected);
    expect(byRule('2026-12-09 13:59:55.000', '2026-12-09 14:01:00.000', null)).toEqual({ day: '2026-12-09', hour: 14, kind: 'answered', wait: 70 });
    expect(byRule('2026-12-09 14:10:00.000', null, '2026-12-09 14:12:00.500')).toEqual({ day: '2026-12-09', hour: 15, kind: 'abandoned', wait: 130 });
    expect(byRule('2026-06-30 22:30:00.000', '2026-06-30 22:30:10.000', '2026-06-30 23:00:00.000')).toEqual({ day: '2026-07-01', hour: 0, kind: 'answered', wait: 10 });
  });

  it('counts a conversation once as it is taken or leaves the queue, and nothing for what happens after', async () => {
    const before = await tally();
    // Taken after 31 s (16:00 UTC is 17 in Stockholm): answered, 40 s.
    await client.query(`UPDATE chat_conversation SET status = 'active', counsellor_id = NULL, assigned_at = '2026-12-09 15:00:31.000' WHERE id = $1`, [id(1)]);
    // A visitor who gives up after 9.999 s: abandoned, 10 s.
    await insert(7, 'waiting', '2026-12-09 16:05:00.000');
    await client.query(`UPDATE chat_conversation SET status = 'closed', closed_at = '2026-12-09 16:05:09.999', closed_reason = 'visitor' WHERE id = $1`, [id(7)]);
    const moved = await tally();
    expect(moved).toEqual(
      [...before, { day: '2026-12-09', hour: 16, kind: 'answered', wait: 40, n: 1 }, { day: '2026-12-09', hour: 17, kind: 'abandoned', wait: 10, n: 1 }].sort(
        (a, b) => a.day.localeCompare(b.day) || a.hour - b.hour || a.kind.localeCompare(b.kind) || (a.wait ?? -1) - (b.wait ?? -1),
      ),
    );

    // Messages (the counter), the close of a taken conversation, closing a closed one again,
    // the transcript's deletion and the conversation's own deletion leave the tally as it was.
    const versions = async () => (await client.query<{ v: string }>(`SELECT string_agg(xmin::text || ':' || n, ',' ORDER BY id) AS v FROM chat_tally`)).rows[0].v;
    const stamp = await versions();
    await client.query(`UPDATE chat_conversation SET last_seq = last_seq + 1, last_visitor_at = created_at`);
    await client.query(`UPDATE chat_conversation SET status = 'closed', closed_at = '2026-12-09 15:20:00.000', closed_reason = 'counsellor' WHERE id = $1`, [id(1)]);
    await client.query(`UPDATE chat_conversation SET status = 'closed', closed_reason = 'inactivity' WHERE status = 'closed'`);
    await client.query(`UPDATE chat_conversation SET transcript_deleted_at = closed_at, outcome_recorded_at = closed_at WHERE status = 'closed'`);
    await client.query(`DELETE FROM chat_conversation WHERE id IN ($1, $2)`, [id(4), id(7)]);
    expect(await versions()).toBe(stamp);
  });

  it('counts several moved in one statement, and one written already out of the queue', async () => {
    const count = async (day: string, hour: number, kind: string, wait: number) =>
      (await client.query<{ n: number }>(`SELECT n FROM chat_tally WHERE day = $1 AND hour = $2 AND kind = $3 AND wait_seconds = $4`, [day, hour, kind, wait])).rows[0]?.n ?? 0;
    // Three waiting from 09:00:00 Stockholm (08:00 UTC), all let go after 20 s in one statement.
    for (const n of [8, 9, 10]) await insert(n, 'waiting', '2026-12-10 08:00:00.000');
    await client.query(`UPDATE chat_conversation SET status = 'closed', closed_at = created_at + interval '20 seconds', closed_reason = 'inactivity' WHERE id = ANY($1::uuid[])`, [[id(8), id(9), id(10)]]);
    expect(await count('2026-12-10', 9, 'abandoned', 20)).toBe(3);
    // Stored as taken already (a seed, an import): counted as it is written.
    await insert(11, 'active', '2026-12-10 08:00:00.000', { assignedAt: '2026-12-10 08:00:20.000' });
    expect(await count('2026-12-10', 9, 'answered', 20)).toBe(1);
    expect(await count('2026-12-10', 9, 'abandoned', 20)).toBe(3);
  });
});
