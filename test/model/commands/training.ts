// A professional's training through the instructor's console and the admin's certificate desk:
// admission, attendance, "Godkänd" and the certificate. The enrolment itself (form, manager's
// consent by e-mail link) is another journey's test: a case starts here where the manager has
// consented, as in test/web/instructor.test.ts.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { PROFESSIONAL_ENROLMENT, professionalEnrolmentWorkflowId, type ProfessionalEnrolmentState } from '../../../workflows/professionalEnrolment.messages';
import { ENROLMENT_STATUSES, canInstructorDecide, isParticipant } from '../../../rules/enrolmentCase';
import { listed, pick, type Model, type Training, type World } from '../world';
import { locationOf, refusedBy, Step, type Outcome } from './step';

/** What the instructor's console lists to decide: those the rules let the instructor admit (consented, queued). */
const ON_THE_INSTRUCTORS_LIST = ENROLMENT_STATUSES.filter((s) => canInstructorDecide(s, 'admit').ok);
/** Whom approval is for (R7.7). */
const PARTICIPANTS = ENROLMENT_STATUSES.filter((s) => isParticipant(s).ok);

const MAX_CASES = 5;
let serial = 0;

/** A professional whose manager consented, waiting for the instructor (the fallback for the form). */
export class Enrol extends Step {
  constructor(readonly training: number) {
    super();
  }
  check = (m: Readonly<Model>) => m.professionals.length < MAX_CASES;
  toString = () => `Enrol(${this.training})`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    const db = w.deps.db;
    const training = pick(w.trainings, this.training);
    const caseNumber = `KOM-2026-8${String(process.pid % 100).padStart(2, '0')}${String(++serial).padStart(3, '0')}`;
    const person = await db.person.create({ data: { email: `yrke-${randomUUID().slice(0, 8)}@example.org`, name: `Yrkesverksam ${serial}` } });
    const workflowId = professionalEnrolmentWorkflowId(caseNumber);
    const application = await db.application.create({
      data: { caseNumber, kind: 'training', personId: person.id, courseId: training.id, status: 'consented', answers: { workplace: 'Förskolan Modellen' }, idempotencyKey: `model-${caseNumber}`, workflowId },
    });
    const now = new Date().toISOString();
    const state: ProfessionalEnrolmentState = {
      caseNumber,
      status: 'consented',
      waitingFor: 'admission',
      consentRequestedAt: now,
      consentReminded: false,
      openInvoices: [],
      certificateNumber: null,
      noticesSent: ['confirmation', 'consentApproved'],
      updatedAt: now,
    };
    await w.deps.temporal.workflow.start(PROFESSIONAL_ENROLMENT, {
      workflowId,
      taskQueue: w.deps.config.TEMPORAL_TASK_QUEUE,
      args: [{ caseNumber, applicationId: application.id, courseId: training.id, state }],
    });
    m.professionals.push({ caseNumber, workflowId, applicationId: application.id, trainingId: training.id });
    return 'done';
  }
}

const hasProfessionals = (m: Readonly<Model>) => m.professionals.length > 0;
const base = (trainingId: string) => `/instruktor/utbildningar/${trainingId}`;

/** The instructor admits to the training's group or places in the queue. */
export class InstructorDecide extends Step {
  /** `fromList`: an application waiting for admission or in the queue, as the console lists them. */
  constructor(readonly target: number, readonly decision: 'admit' | 'queue', readonly fromList = false) {
    super();
  }
  check = hasProfessionals;
  toString = () => `InstructorDecide(${this.target}, ${this.decision}${this.fromList ? ', from the list' : ''})`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    const c = pick(await listed(w, m.professionals, this.fromList ? ON_THE_INSTRUCTORS_LIST : null), this.target);
    const training = w.trainings.find((t) => t.id === c.trainingId)!;
    const form: Record<string, string> = this.decision === 'admit' ? { decision: 'admit', groupId: training.groupId } : { decision: 'queue', reason: 'Gruppen är full.' };
    const res = await w.admin.post(`${base(training.id)}/ansokningar/${c.caseNumber}/beslut`, form);
    return refusedBy(res, [422]) ? 'refused' : 'done';
  }
}

/** Attendance of one session for every admitted participant (present or absent each). */
export class MarkAttendance extends Step {
  constructor(readonly training: number, readonly session: number, readonly present: boolean[]) {
    super();
  }
  check = () => true;
  toString = () => `MarkAttendance(${this.training}, session ${this.session}, [${this.present}])`;
  protected async act(_m: Model, w: World): Promise<Outcome> {
    // The instructor takes attendance where there are participants: the drawn training, else the other.
    const admittedIn = (t: Training) => w.deps.db.application.findMany({ where: { courseId: t.id, status: 'admitted' }, orderBy: { caseNumber: 'asc' } });
    let training = pick(w.trainings, this.training);
    let admitted = await admittedIn(training);
    if (!admitted.length) {
      training = pick(w.trainings, this.training + 1);
      admitted = await admittedIn(training);
    }
    const sessionId = pick(training.sessionIds, this.session);
    if (!admitted.length) return 'unknown';
    const form = Object.fromEntries(admitted.map((a, i) => [`n-${a.id}`, (this.present[i] ?? true) ? 'present' : 'absent']));
    const res = await w.admin.post(`${base(training.id)}/traffar/${sessionId}/narvaro`, form);
    return refusedBy(res, [422]) ? 'refused' : 'done';
  }
}

/** The instructor sets or withdraws "Godkänd". */
export class MarkApproved extends Step {
  constructor(readonly target: number, readonly approved: boolean) {
    super();
  }
  check = hasProfessionals;
  toString = () => `MarkApproved(${this.target}, ${this.approved})`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    const c = pick(await listed(w, m.professionals, this.target % 4 ? PARTICIPANTS : null), this.target);
    const res = await w.admin.post(`${base(c.trainingId)}/deltagare/${c.caseNumber}/godkand`, { approved: this.approved ? '1' : '0' });
    // 404: not a participant (not admitted): nothing to approve.
    if (refusedBy(res, [404])) return 'refused';
    return locationOf(res).includes('nekad=') ? 'refused' : 'done';
  }
}

/** The admin sends the certificates of a training's approved participants (confirmed). */
export class IssueCertificates extends Step {
  constructor(readonly training: number) {
    super();
  }
  check = () => true;
  toString = () => `IssueCertificates(${this.training})`;
  protected async act(_m: Model, w: World): Promise<Outcome> {
    const training = pick(w.trainings, this.training);
    const res = await w.admin.post(`/personal/intyg/${training.id}`, { confirm: 'yes' });
    expect(res.status).toBe(200);
    // Each approved participant gets one or is refused with why: no single promise.
    return 'unknown';
  }
}
