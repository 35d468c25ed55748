// Cases written straight to the database, for tests that need many of them or old ones (the
// diarium, the retention run): no workflow runs for them; the web pages and the archive read the
// records only.
import { randomUUID } from 'node:crypto';
import type { Db, DbTypes } from '../../lib/db';

let serial = 0;

export interface CaseRowInput {
  personId: string;
  courseId: string;
  kind?: DbTypes.CourseKind;
  status?: DbTypes.ApplicationStatus;
  caseNumber?: string;
  submittedAt?: Date;
  closedAt?: Date | null;
  answers?: Record<string, unknown>;
}

export async function insertCase(db: Db, input: CaseRowInput) {
  const caseNumber = input.caseNumber ?? `KOM-2023-${String(++serial).padStart(6, '0')}`;
  const submittedAt = input.submittedAt ?? new Date();
  return db.application.create({
    data: {
      caseNumber,
      kind: input.kind ?? 'groupCourse',
      personId: input.personId,
      courseId: input.courseId,
      status: input.status ?? 'submitted',
      answers: (input.answers ?? { childAge: 6, message: '' }) as DbTypes.Prisma.InputJsonObject,
      submittedAt,
      closedAt: input.closedAt ?? null,
      idempotencyKey: `test:${randomUUID()}`,
      workflowId: `parentApplication-${caseNumber}`,
      events: { create: [{ type: 'submitted', actor: input.personId, createdAt: submittedAt }] },
    },
  });
}

export const monthsAgo = (months: number, from = new Date()) => {
  const d = new Date(from);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
};
