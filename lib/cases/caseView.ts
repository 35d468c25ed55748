// Everything a case page shows: the record and diary from the database, the live process state
// from the workflow's status query (R2.6, R9.4). Used by "Mina ärenden" and the staff pages.
import type { Client } from '@temporalio/client';
import type { Db } from '../db';
import * as parentCommands from '../commands/parentApplication';
import { seatCount } from '../courses/seats';
import { isFull } from '../../rules/capacity';
import { nearestDistrictWithFreeSeats, queuePosition } from './queue';
import { isClosedStatus } from './caseStatus';


export async function loadCaseView(deps: { db: Db; temporal: Client }, caseNumber: string) {
  const app = await deps.db.application.findUnique({
    where: { caseNumber },
    include: {
      course: {
        include: {
          district: true,
          sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } },
          contacts: { include: { person: { select: { name: true, email: true, phone: true } } } },
        },
      },
      events: { orderBy: { createdAt: 'asc' } },
    },
  });
  if (!app) return null;
  // The workflow's live state (both case kinds answer the `status` query); null if Temporal cannot
  // answer now: the page then shows the record.
  const live = await parentCommands.status(deps.temporal, app.workflowId);
  const status = live?.status ?? app.status;
  const now = new Date();
  const sessions = app.course.sessions.map((s) => ({
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    place: s.room ? `${s.room.name}, ${s.room.address}` : null,
  }));
  const position = status === 'queued' ? await queuePosition(deps.db, app.id) : null;
  // "The course is full" is said only when it is; otherwise the parent was placed in the queue.
  const seats = status === 'queued' ? await seatCount(deps.db, app.courseId) : null;
  const nearest =
    status === 'queued' && app.course.districtId
      ? await nearestDistrictWithFreeSeats(deps.db, app.course.districtId, app.kind)
      : null;
  return {
    id: app.id,
    caseNumber: app.caseNumber,
    workflowId: app.workflowId,
    personId: app.personId,
    kind: app.kind,
    status,
    waitingFor: live?.waitingFor ?? null,
    /** A seat offered to the parent, with its deadline (R2.9). */
    offer: status === 'offered' ? (live?.offer ?? null) : null,
    live,
    submittedAt: app.submittedAt,
    course: {
      id: app.course.id,
      title: app.course.title,
      districtId: app.course.districtId,
      district: app.course.district ? { slug: app.course.district.slug, name: app.course.district.name } : null,
    },
    contacts: app.course.contacts.map((k) => ({ title: k.title, name: k.person.name, email: k.person.email, phone: k.person.phone })),
    sessions: status === 'admitted' ? sessions : [],
    nextSession: status === 'admitted' ? (sessions.find((s) => s.startsAt > now) ?? null) : null,
    queuePosition: position,
    /** Training: why the instructor queued the participant (R7.3). */
    queueReason: status === 'queued' ? app.queueReason : null,
    courseFull: seats ? isFull(seats) : false,
    nearestDistrict: nearest,
    events: app.events.map((e) => ({ type: e.type, actor: e.actor, at: e.createdAt, data: e.data as Record<string, unknown> })),
    /** Poll often while a decision is awaited, slowly once admitted, never once settled. */
    pollSeconds: isClosedStatus(status) ? 0 : status === 'admitted' ? 30 : 4,
  };
}

export type CaseView = NonNullable<Awaited<ReturnType<typeof loadCaseView>>>;
