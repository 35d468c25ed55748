// A chat's outcome and the chat's tallies are anonymous by construction (issue 17): neither table
// has a column that could lead to a visitor, a session, a conversation, its transcript or the
// counsellor, nor a time finer than the hour; no foreign key leads from them to any of those; and a
// recorded outcome stays when the transcript, or the conversation itself, is deleted.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTranscript } from '../lib/chat/chatStore';
import { recordOutcome } from '../lib/chat/outcomes';
import { sha256 } from '../lib/crypto';
import { DEFAULT_OUTCOME_CHOICES, seedReferenceData } from '../prisma/referenceData';
import { createTestDatabase, type TestDatabase } from './support/database';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReferenceData(database.db);
});
afterAll(async () => database?.drop());

const COUNTED = ['chat_outcome', 'chat_tally'] as const;
/** Anything that could name or find a visitor, a browser, a conversation or a person. */
const IDENTIFYING = /visitor|session|conversation|transcript|message|chat_id|key|hash|token|cookie|person|counsellor|user|author|name|mail|phone|(^|_)ip(_|$)|address|created|updated|_at$/i;

describe.each(COUNTED)('%s', (table) => {
  it('has no column that links to a visitor, a session, a conversation or a transcript, and no time finer than the hour', async () => {
    const columns = await database.db.$queryRaw<{ column_name: string; data_type: string }[]>`
      SELECT column_name::text AS column_name, data_type::text AS data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${table}`;
    expect(columns.length).toBeGreaterThan(0);
    for (const { column_name: name, data_type: type } of columns) {
      expect(name).not.toMatch(IDENTIFYING);
      expect(type).not.toMatch(/^time/); // timestamp/time with or without zone
    }
    expect(columns.find((c) => c.column_name === 'day')?.data_type).toBe('date');
    expect(columns.find((c) => c.column_name === 'hour')?.data_type).toBe('smallint');
  });

  it('has no foreign key but to the outcome answers', async () => {
    const referenced = await database.db.$queryRaw<{ table_name: string }[]>`
      SELECT DISTINCT ccu.table_name::text AS table_name FROM information_schema.table_constraints tc
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
      WHERE tc.table_schema = current_schema() AND tc.table_name = ${table} AND tc.constraint_type = 'FOREIGN KEY'`;
    expect(referenced.map((r) => r.table_name).filter((t) => t !== 'chat_outcome_choice')).toEqual([]);
  });
});

describe('a recorded outcome', () => {
  it('holds only the hour, the answers and a count, and stays when the transcript and the conversation go', async () => {
    const { db } = database;
    const counsellor = await db.person.create({ data: { email: `radgivare-${randomUUID().slice(0, 8)}@komet.example` } });
    const visitorKey = randomUUID();
    const conversation = await db.chatConversation.create({
      data: {
        visitorKeyHash: sha256(visitorKey),
        status: 'closed',
        counsellorId: counsellor.id,
        createdAt: new Date('2026-12-09T09:41:27.123Z'),
        assignedAt: new Date('2026-12-09T09:42:00Z'),
        closedAt: new Date('2026-12-09T10:05:00Z'),
        closedReason: 'visitor',
      },
    });
    await db.chatMessage.create({ data: { conversationId: conversation.id, seq: 1, sender: 'visitor', body: 'Jag heter Alva och bor på Söder.' } });
    const [topic, ageBand, result] = ['Familj', '13–15', 'Råd och stöd gavs'].map((label) => DEFAULT_OUTCOME_CHOICES.find((c) => c.label === label)!.id);

    expect(await recordOutcome(db, { conversationId: conversation.id, counsellorId: counsellor.id, topic, ageBand, result })).toEqual({ ok: true });
    const rows = await db.$queryRaw<Record<string, unknown>[]>`SELECT * FROM chat_outcome`;
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0], (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    for (const secret of [conversation.id, conversation.visitorKeyHash, visitorKey, counsellor.id, counsellor.email, 'Alva', '09:41', '10:41']) expect(stored).not.toContain(secret);
    // 09:41 UTC is 10:41 in Stockholm: the hour 10 of that day, nothing finer.
    expect(rows[0]).toMatchObject({ hour: 10, topic_id: topic, age_band_id: ageBand, result_id: result, n: 1 });
    expect((rows[0].day as Date).toISOString().slice(0, 10)).toBe('2026-12-09');

    await deleteTranscript(db, { conversationId: conversation.id });
    await db.chatConversation.delete({ where: { id: conversation.id } });
    expect(await db.chatOutcome.aggregate({ _sum: { n: true } })).toEqual({ _sum: { n: 1 } });
  });
});
