// Case numbers are taken inside the statement that stores the application (R2.2, R9.3): the SQL
// must format them as formatCaseNumber does, count per Stockholm year, and give nothing away when
// the store fails.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../prisma/seed';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { CASE_NUMBER_PATTERN, formatCaseNumber, nextCaseNumberSql, stockholmYear } from './caseNumber';
import { submitApplication } from './submitApplication';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function take(at: Date): Promise<string | null> {
  const [row] = await database.db.$queryRaw<{ case_number: string | null }[]>`WITH n AS (${nextCaseNumberSql(at)}) SELECT case_number FROM n`;
  return row.case_number;
}

const DETAILS = { name: 'Maria Andersson', personnummer: '19811218-9876', phone: '+46701112233', childAge: 7, message: '' };

const counter = (year: number) => database.db.caseCounter.findUnique({ where: { year } });

describe('nextCaseNumberSql', () => {
  it('counts from 1 within a year, formatted like formatCaseNumber', async () => {
    const at = new Date('2031-05-01T10:00:00Z');
    expect(await take(at)).toBe(formatCaseNumber(2031, 1));
    expect(await take(at)).toBe('KOM-2031-000002');
    expect(await take(at)).toMatch(CASE_NUMBER_PATTERN);
  });

  it('uses the Stockholm year: 23:30 UTC on New Year’s Eve is already the next year', async () => {
    const at = new Date('2032-12-31T23:30:00Z');
    expect(stockholmYear(at)).toBe(2033);
    expect(await take(at)).toBe('KOM-2033-000001');
  });

  it('gives no number past 999999 rather than a longer one', async () => {
    await database.db.caseCounter.create({ data: { year: 2034, last: 999_999 } });
    expect(await take(new Date('2034-06-01T12:00:00Z'))).toBeNull();
  });
});

describe('submitApplication', () => {
  it('stores nothing and takes no number when the store fails (the person is gone)', async () => {
    const { db } = database;
    await seedDemoData(db);
    const course = await db.course.findFirstOrThrow({ where: { status: 'open', kind: 'groupCourse' } });
    const year = stockholmYear(new Date());
    const before = { counter: await counter(year), applications: await db.application.count(), events: await db.caseEvent.count() };
    // The store fails before any workflow would start: a Temporal client is never reached.
    const temporal = {} as Client;
    await expect(
      submitApplication(
        { db, temporal, taskQueue: 'unused' },
        { personId: randomUUID(), courseId: course.id, details: DETAILS, idempotencyKey: randomUUID(), actor: 'test' },
      ),
    ).rejects.toThrow();
    expect({ counter: await counter(year), applications: await db.application.count(), events: await db.caseEvent.count() }).toEqual(before);
  });
});
