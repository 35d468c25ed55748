// survey_response_scale follows survey_response whoever writes it (the triggers of migration
// 20261124090000_survey_response_scale): a response's answers to its version's scale questions in
// the definition's order, anything but a whole number 1–5 as unanswered, rewritten when the response
// changes and gone with it. The statistics read it instead of the JSON answers.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTypes } from '../lib/db';
import { createTestDatabase, type TestDatabase } from './support/database';

let database: TestDatabase;
let surveyId: string;
const courseId = randomUUID();

beforeAll(async () => {
  database = await createTestDatabase();
  const survey = await database.db.surveyDefinition.create({
    data: {
      kind: 'sessionEvaluation',
      version: 900,
      title: 'Skalor',
      questions: [
        { id: 'useful', type: 'scale', text: 'Nyttig?' },
        { id: 'best', type: 'text', text: 'Bäst?' },
        { id: 'calm', type: 'scale', text: 'Lugn?', required: false },
        { id: 'mood', type: 'single', text: 'Humör?', options: [{ value: 'up', text: 'Bra' }, { value: 'down', text: 'Dåligt' }] },
        { id: 'again', type: 'scale', text: 'Igen?' },
      ],
    },
  });
  surveyId = survey.id;
});

afterAll(async () => {
  await database?.drop();
});

const response = (answers: Record<string, unknown>) => ({
  surveyId,
  courseId,
  answers: answers as DbTypes.Prisma.InputJsonValue,
  answeredOn: new Date('2026-03-02T00:00:00Z'),
});

async function scaleOf(responseId: string): Promise<(number | null)[] | undefined> {
  const rows = await database.db.$queryRaw<{ answers: (number | null)[] }[]>`
    SELECT answers FROM survey_response_scale WHERE response_id = ${responseId}::uuid`;
  return rows[0]?.answers;
}

describe('survey_response_scale', () => {
  it('holds the scale answers of a response stored through Prisma, in the definition order', async () => {
    const { db } = database;
    const stored = await db.surveyResponse.create({ data: { ...response({ again: 2, best: 'Allt', useful: 5, mood: 'up' }), pairingCode: 'K1' } });
    expect(await scaleOf(stored.id)).toEqual([5, null, 2]);
    const [copy] = await db.$queryRaw<{ survey_id: string; course_id: string; answered_on: Date; pairing_code: string }[]>`
      SELECT survey_id::text, course_id::text, answered_on, pairing_code FROM survey_response_scale WHERE response_id = ${stored.id}::uuid`;
    expect(copy).toEqual({ survey_id: surveyId, course_id: courseId, answered_on: new Date('2026-03-02T00:00:00Z'), pairing_code: 'K1' });
  });

  it('follows createMany and a bulk insert by SQL, taking only whole numbers 1–5', async () => {
    const { db } = database;
    await db.surveyResponse.createMany({ data: [response({ useful: 1, calm: 3, again: 4 }), response({ useful: 7, calm: '4', again: 2.5 })] });
    const many = await db.surveyResponse.findMany({ where: { courseId }, orderBy: { id: 'asc' } });
    const scales = await Promise.all(many.map((r) => scaleOf(r.id)));
    expect(scales).toContainEqual([1, 3, 4]);
    expect(scales).toContainEqual([null, null, null]);

    const inserted = await db.$executeRaw`
      INSERT INTO survey_response (id, survey_id, course_id, answers, answered_on)
      SELECT gen_random_uuid(), ${surveyId}::uuid, ${courseId}::uuid, jsonb_build_object('useful', i, 'again', 6 - i), '2026-03-03'
      FROM generate_series(1, 5) AS i`;
    expect(inserted).toBe(5);
    const sums = await db.$queryRaw<{ n: number; useful: number; again: number }[]>`
      SELECT count(*)::int AS n, sum(s.answers[1])::int AS useful, sum(s.answers[3])::int AS again
      FROM survey_response_scale s JOIN survey_response r ON r.id = s.response_id WHERE r.answered_on = '2026-03-03'`;
    expect(sums).toEqual([{ n: 5, useful: 15, again: 15 }]);
  });

  it('is rewritten when a response changes and goes with it', async () => {
    const { db } = database;
    const stored = await db.surveyResponse.create({ data: response({ useful: 3 }) });
    await db.surveyResponse.update({ where: { id: stored.id }, data: { answers: { useful: 4, calm: 5 } } });
    expect(await scaleOf(stored.id)).toEqual([4, 5, null]);
    await db.surveyResponse.delete({ where: { id: stored.id } });
    expect(await scaleOf(stored.id)).toBeUndefined();
    const [{ missing }] = await db.$queryRaw<{ missing: number }[]>`
      SELECT count(*)::int AS missing FROM survey_response r LEFT JOIN survey_response_scale s ON s.response_id = r.id WHERE s.response_id IS NULL`;
    expect(missing).toBe(0);
  });
});
