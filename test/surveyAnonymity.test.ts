// Survey answers are anonymous by construction (R4.3): the response table has no column that could
// name a person, a case, an invitation or its token, nor a time of day; no foreign key leads from
// it to them; and answering writes neither the token nor the invitation id to any log.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openSurveyInvitations } from '../lib/surveys/invitations';
import { createApp } from '../web/app';
import { createCitizen, startStack, type TestStack } from './support/stack';
import { WebClient } from './support/webClient';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());
afterEach(() => vi.restoreAllMocks());

describe('survey_response', () => {
  it('has no column that names a person, case, invitation, token, e-mail or a time of day', async () => {
    const columns = await stack.deps.db.$queryRaw<{ column_name: string; data_type: string }[]>`
      SELECT column_name::text AS column_name, data_type::text AS data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'survey_response'`;
    expect(columns.length).toBeGreaterThan(0);
    for (const { column_name: name, data_type: type } of columns) {
      expect(name).not.toMatch(/person|applica|invit|token|mail|phone|user|name|case|(^|_)ip(_|$)|created|updated|_at$/i);
      expect(type).not.toMatch(/^time/); // timestamp/time with or without zone
    }
    expect(columns.find((c) => c.column_name === 'answered_on')?.data_type).toBe('date');
  });

  it('has no foreign key to the invitation, the application or the person', async () => {
    const referenced = await stack.deps.db.$queryRaw<{ table_name: string }[]>`
      SELECT DISTINCT ccu.table_name::text AS table_name FROM information_schema.table_constraints tc
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
      WHERE tc.table_schema = current_schema() AND tc.table_name = 'survey_response' AND tc.constraint_type = 'FOREIGN KEY'`;
    for (const table of ['survey_invitation', 'application', 'person']) expect(referenced.map((r) => r.table_name)).not.toContain(table);
  });
});

describe('answering', () => {
  it('writes neither the token nor the invitation id to the console or the process output', async () => {
    const { db } = stack.deps;
    const course = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' } } });
    const person = await createCitizen(stack.deps);
    const application = await db.application.create({
      data: {
        caseNumber: 'KOM-2026-990001',
        kind: 'groupCourse',
        personId: person.id,
        courseId: course.id,
        status: 'admitted',
        answers: {},
        idempotencyKey: randomUUID(),
        // No workflow behind it: the signal fails, and even that failure must not log the token.
        workflowId: `anonymity-${randomUUID()}`,
      },
    });
    const [invitation] = await openSurveyInvitations(db, stack.deps.config.sessionSecret, {
      applicationId: application.id,
      courseId: course.id,
      kinds: ['courseEvaluation'],
      dedupePrefix: `anonymity:${application.id}`,
    });
    const client = new WebClient(app());
    await client.get('/');

    const captured: string[] = [];
    const capture = (...args: unknown[]) => void captured.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) vi.spyOn(console, level).mockImplementation(capture);
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
        captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return write(chunk, ...rest);
      }) as typeof stream.write);
    }

    const form = { overall: '5', support: '4', confident: '4', recommend: '5', helped: 'praise', comments: 'Tack' };
    const bad = await client.post(`/enkat/${invitation.token}`, { ...form, overall: '9' });
    expect(bad.status).toBe(422);
    const res = await client.post(`/enkat/${invitation.token}`, form);
    expect(res.status).toBe(200);
    const twice = await client.post(`/enkat/${invitation.token}`, form);
    expect(twice.status).toBe(409);
    vi.restoreAllMocks();

    const output = captured.join('\n');
    expect(output).not.toContain(invitation.token);
    expect(output).not.toContain(invitation.id);
    expect(await db.surveyResponse.count({ where: { courseId: course.id } })).toBe(1);
  });
});

function app() {
  return createApp(stack.deps);
}
