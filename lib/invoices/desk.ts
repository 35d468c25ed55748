// What the admin's fee desk reads (R8.6): trainings with their fee, participants with invoices,
// and the overdue invoices (due date passed, unpaid).
import type { Db } from '../db';
import { stockholmDateString } from '../time';
import { PARTICIPANT_STATUSES } from '../../rules/caseStatus';

/** Midnight UTC of today's Stockholm date: due_date is a DATE column, compared as such. */
export function todayAsDate(now = new Date()): Date {
  return new Date(`${stockholmDateString(now)}T00:00:00Z`);
}

export function isOverdue(invoice: { dueDate: Date; paidAt: Date | null }, now = new Date()): boolean {
  return !invoice.paidAt && invoice.dueDate < todayAsDate(now);
}

export function listTrainings(db: Db) {
  return db.course.findMany({
    where: { kind: 'training' },
    orderBy: [{ status: 'asc' }, { title: 'asc' }],
    select: {
      id: true,
      title: true,
      status: true,
      feeOre: true,
      _count: { select: { applications: { where: { status: { in: [...PARTICIPANT_STATUSES] } } } } },
    },
  });
}

export function overdueInvoices(db: Db, now = new Date()) {
  return db.invoice.findMany({
    where: { paidAt: null, dueDate: { lt: todayAsDate(now) } },
    orderBy: { dueDate: 'asc' },
    take: 200,
    include: { application: { select: { caseNumber: true, courseId: true, person: { select: { name: true, email: true } }, course: { select: { title: true } } } } },
  });
}

export function training(db: Db, courseId: string) {
  return db.course.findFirst({ where: { id: courseId, kind: 'training' }, select: { id: true, title: true, feeOre: true } });
}

export const PARTICIPANTS_PAGE_SIZE = 25;

/** Admitted (and completed) participants of a training, with their invoices, a page at a time. */
export async function participants(db: Db, courseId: string, page: number) {
  const where = { courseId, status: { in: [...PARTICIPANT_STATUSES] } };
  const [total, rows] = await Promise.all([
    db.application.count({ where }),
    db.application.findMany({
      where,
      orderBy: { submittedAt: 'asc' },
      skip: (page - 1) * PARTICIPANTS_PAGE_SIZE,
      take: PARTICIPANTS_PAGE_SIZE,
      select: {
        id: true,
        caseNumber: true,
        person: { select: { name: true, email: true } },
        invoices: { orderBy: { issuedAt: 'asc' } },
      },
    }),
  ]);
  return { total, rows };
}

/** Participants the instructor approved (R7.7), with any certificate already issued. */
export function approvedParticipants(db: Db, courseId: string) {
  return db.application.findMany({
    where: { courseId, approvedAt: { not: null } },
    orderBy: { approvedAt: 'asc' },
    select: { id: true, caseNumber: true, workflowId: true, approvedAt: true, person: { select: { name: true, email: true } }, certificate: { select: { number: true } } },
  });
}
