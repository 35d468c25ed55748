// What must hold after every step of the model-based test, read from the database and the
// workflows themselves. Each check throws with what it found; `settled` retries them until the
// asynchronous steps of the last command (activities, signals between cases) are through.
import * as enrolmentCommands from '../../lib/commands/professionalEnrolment';
import * as parentCommands from '../../lib/commands/parentApplication';
import { getOpenCourse } from '../../lib/courses/catalog';
import { seatCount } from '../../lib/courses/seats';
import { loadTrainingFacts } from '../../lib/trainings/completion';
import { freeSeats, withinCapacity } from '../../rules/capacity';
import { isClosedStatus } from '../../rules/caseStatus';
import { lastSessionEnd, trainingCompleted } from '../../rules/training';
import { webCourseGuidanceWorkflowId } from '../../workflows/webCourseGuidance.messages';
import { eventually } from '../support/eventually';
import type { Model, World } from './world';

/** Waits until every invariant holds; fails with the last broken one when they do not settle. */
export async function settled(world: World, model: Model): Promise<void> {
  await eventually(async () => {
    await quiet(world, model);
    await checkInvariants(world, model);
  }, 20_000, 150);
}

/**
 * Every workflow of the run is waiting (for people or timers), none in the middle of a step: no
 * workflow task or activity pending. An update returns before the workflow's next steps (a freed
 * seat is offered on just after the withdrawal is answered), so the answer alone is no settling.
 */
async function quiet(world: World, model: Model) {
  const ids = [
    ...model.parents.map((p) => p.workflowId),
    ...model.parents.filter((p) => p.course === 'web').map((p) => webCourseGuidanceWorkflowId(p.caseNumber)),
    ...model.professionals.map((p) => p.workflowId),
  ];
  for (const id of ids) {
    const d = await world.deps.temporal.workflow
      .getHandle(id)
      .describe()
      .catch(() => null); // a guidance that has not started (parent not admitted)
    if (!d || d.status.name !== 'RUNNING') continue;
    if (d.raw.pendingWorkflowTask || d.raw.pendingActivities?.length) throw new Error(`workflow ${id.replace(/-.*/, '')} is still busy`);
  }
}

export async function checkInvariants(world: World, model: Model): Promise<void> {
  await noCourseOverCapacity(world);
  await catalogueTellsFreeSeats(world);
  await statusesAgree(world, model);
  await guidanceStarted(model, world);
  await noRoomDoubleBooked(world);
  await noCertificateWithoutCompletedTraining(world);
  await noModuleSignedOffWithoutDiary(world, model);
  await noAttendanceAhead(world);
}

async function noCourseOverCapacity(world: World) {
  for (const courseId of [...world.groupCourseIds, ...world.trainings.map((t) => t.id)]) {
    const seats = (await seatCount(world.deps.db, courseId))!;
    if (!withinCapacity(seats)) throw new Error(`course ${courseId} over capacity: ${JSON.stringify(seats)}`);
  }
}

/** The public catalogue (pages and API) tells the free seats by the same one rule. */
async function catalogueTellsFreeSeats(world: World) {
  for (const courseId of world.groupCourseIds) {
    const listed = await getOpenCourse(world.deps.db, courseId);
    const free = freeSeats((await seatCount(world.deps.db, courseId))!);
    if (listed && listed.freeSeats !== free) throw new Error(`catalogue shows ${listed.freeSeats} free seats of course ${courseId}, the rule says ${free}`);
  }
}

/** The database's status of each case is its workflow's status (the live truth "Mina ärenden" shows). */
async function statusesAgree(world: World, model: Model) {
  const { db, temporal } = world.deps;
  const cases = [
    ...model.parents.map((p) => ({ ...p, read: () => parentCommands.status(temporal, p.workflowId) })),
    ...model.professionals.map((p) => ({ ...p, read: () => enrolmentCommands.status(temporal, p.workflowId) })),
  ];
  const rows = await db.application.findMany({ where: { caseNumber: { in: cases.map((c) => c.caseNumber) } }, select: { caseNumber: true, status: true } });
  const stored = new Map(rows.map((r) => [r.caseNumber, r.status]));
  for (const c of cases) {
    const live = await c.read();
    const inDb = stored.get(c.caseNumber);
    // A closed case's workflow may have ended; only an open case must always answer.
    if (!live) {
      if (inDb && isClosedStatus(inDb)) continue;
      throw new Error(`${c.caseNumber}: workflow does not answer, database says ${inDb}`);
    }
    if (live.status !== inDb) throw new Error(`${c.caseNumber}: database says ${inDb}, workflow says ${live.status}`);
  }
}

/**
 * Not an invariant but part of settling: an admitted web-course parent has their guidance running
 * (a guide and a current module), which the guidance workflow sets just after admission.
 */
async function guidanceStarted(model: Model, world: World) {
  const web = model.parents.filter((p) => p.course === 'web').map((p) => p.caseNumber);
  const waiting = await world.deps.db.application.count({ where: { caseNumber: { in: web }, status: 'admitted', OR: [{ currentModule: null }, { guideId: null }] } });
  if (waiting) throw new Error(`${waiting} admitted web-course parent(s) without a guide or module yet`);
}

async function noRoomDoubleBooked(world: World) {
  const clashes = await world.deps.db.$queryRaw<{ a: string; b: string }[]>`
    SELECT a.id::text AS a, b.id::text AS b FROM course_session a JOIN course_session b
      ON a.room_id = b.room_id AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
    WHERE a.room_id = ANY(${world.roomIds}::uuid[])`;
  if (clashes.length) throw new Error(`room double-booked: ${JSON.stringify(clashes)}`);
}

/**
 * Every certificate was issued for a completed training: at its issue the last session had ended,
 * attendance met the requirement, and "Godkänd" had been set after the last session.
 */
async function noCertificateWithoutCompletedTraining(world: World) {
  const db = world.deps.db;
  const certs = await db.certificate.findMany({ where: { application: { courseId: { in: world.trainings.map((t) => t.id) } } } });
  for (const cert of certs) {
    const facts = await loadTrainingFacts(db, cert.applicationId);
    const completed = trainingCompleted(facts, cert.issuedAt);
    if (!completed.ok) throw new Error(`certificate ${cert.number} for a training not completed: ${completed.code}`);
    const end = lastSessionEnd(facts)!;
    const approvals = await db.caseEvent.findMany({ where: { applicationId: cert.applicationId, type: 'training.approved' }, orderBy: { createdAt: 'asc' } });
    const standing = approvals.filter((e) => e.createdAt <= cert.issuedAt).at(-1);
    if (!standing || !(standing.data as { approved?: boolean }).approved || standing.createdAt < end) {
      throw new Error(`certificate ${cert.number} without "Godkänd" set after the training`);
    }
  }
}

/** A module is signed off only after the parent wrote a diary note for it. */
async function noModuleSignedOffWithoutDiary(world: World, model: Model) {
  const db = world.deps.db;
  const web = model.parents.filter((p) => p.course === 'web').map((p) => p.caseNumber);
  const signOffs = await db.caseEvent.findMany({ where: { type: 'module.signedOff', application: { caseNumber: { in: web } } } });
  for (const e of signOffs) {
    const moduleNumber = (e.data as { moduleNumber: number }).moduleNumber;
    const note = await db.diaryNote.findFirst({ where: { applicationId: e.applicationId, moduleNumber, fromGuide: false, createdAt: { lte: e.createdAt } } });
    if (!note) throw new Error(`module ${moduleNumber} signed off without the parent's diary note`);
  }
}

/** Attendance is registered only for a session that had started. */
async function noAttendanceAhead(world: World) {
  const rows = await world.deps.db.attendance.findMany({
    where: { session: { courseId: { in: world.trainings.map((t) => t.id) } } },
    include: { session: true },
  });
  const ahead = rows.filter((r) => r.session.startsAt > r.markedAt);
  if (ahead.length) throw new Error(`attendance for ${ahead.length} session(s) not started`);
}

/**
 * The records a command may change, for "a refused command changed nothing". Notices (and the
 * events that log them) are left out: they follow earlier steps on their own time.
 */
export async function snapshot(world: World, model: Model) {
  const db = world.deps.db;
  const courseIds = [...world.groupCourseIds, ...world.trainings.map((t) => t.id)];
  const caseNumbers = [...model.parents, ...model.professionals].map((c) => c.caseNumber);
  const apps = await db.application.findMany({
    where: { caseNumber: { in: caseNumbers } },
    select: { caseNumber: true, status: true, courseId: true, approvedAt: true, currentModule: true, groupId: true, closedAt: true },
    orderBy: { caseNumber: 'asc' },
  });
  const [offers, sessions, attendance, certificates, events] = await Promise.all([
    db.seatOffer.findMany({ where: { application: { caseNumber: { in: caseNumbers } } }, select: { id: true, status: true, expiresAt: true }, orderBy: { id: 'asc' } }),
    db.courseSession.findMany({ where: { courseId: { in: courseIds } }, select: { id: true, startsAt: true, endsAt: true, roomId: true }, orderBy: { id: 'asc' } }),
    db.attendance.findMany({ where: { session: { courseId: { in: courseIds } } }, select: { sessionId: true, applicationId: true, present: true }, orderBy: [{ sessionId: 'asc' }, { applicationId: 'asc' }] }),
    db.certificate.findMany({ where: { application: { caseNumber: { in: caseNumbers } } }, select: { number: true }, orderBy: { number: 'asc' } }),
    db.caseEvent.groupBy({
      by: ['type'],
      where: { application: { caseNumber: { in: caseNumbers } }, NOT: { type: { startsWith: 'notice.' } } },
      _count: { _all: true },
      orderBy: { type: 'asc' },
    }),
  ]);
  return { apps, offers, sessions, attendance, certificates, events: events.map((e) => [e.type, e._count._all]) };
}
