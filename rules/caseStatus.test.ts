import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVE_STATUSES, APPLICATION_STATUSES, CLOSED_STATUSES } from './caseStatus';
import { ENROLMENT_CLOSED, ENROLMENT_STATUSES, ENROLMENT_TRANSITIONS } from './enrolmentCase';
import { PARENT_CASE_CLOSED, PARENT_CASE_STATUSES, PARENT_CASE_TRANSITIONS } from './parentCase';

function schemaEnum(name: string): string[] {
  const schema = readFileSync(new URL('../prisma/schema.prisma', import.meta.url), 'utf8');
  const body = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(schema)![1];
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('//'));
}

describe('the one list of case statuses', () => {
  it('is exactly the database enum, in its order', () => {
    expect([...APPLICATION_STATUSES]).toEqual(schemaEnum('ApplicationStatus'));
  });

  it('splits into closed and active with nothing in both', () => {
    expect([...ACTIVE_STATUSES, ...CLOSED_STATUSES].sort()).toEqual([...APPLICATION_STATUSES].sort());
  });

  it('gives each case kind statuses from that list, closed ones ending the process', () => {
    for (const [statuses, closed, transitions] of [
      [PARENT_CASE_STATUSES, PARENT_CASE_CLOSED, PARENT_CASE_TRANSITIONS],
      [ENROLMENT_STATUSES, ENROLMENT_CLOSED, ENROLMENT_TRANSITIONS],
    ] as const) {
      for (const s of statuses) expect(APPLICATION_STATUSES).toContain(s);
      for (const s of closed) expect(CLOSED_STATUSES).toContain(s);
      for (const [from, to] of Object.entries(transitions)) {
        if ((closed as readonly string[]).includes(from)) expect(to).toEqual([]);
        for (const target of to as readonly string[]) expect(statuses).toContain(target);
      }
    }
  });
});
