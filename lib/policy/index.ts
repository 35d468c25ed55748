// The one access policy (R3.2, R11.5, issue 13): who may open and act on a case, a course, a
// material, a survey result, an invoice and the audit trail. Routes ask it and decide nothing
// themselves. Pure: the answers depend only on the user's grants and the object's facts; the
// Prisma filters below say the same thing for lists (lib/policy/load.ts loads single objects).
//
// The shape of the rules:
// - a role opens a staff area (a wrong role answers 403 before any object is looked at);
// - an admin handles every course; a group leader the courses of their districts and granted
//   courses; a guide and an instructor their granted web courses and trainings (R3.2, R5.1, R7.1);
// - a case is opened by its own parent, by whoever handles its course, by a web course's guide for
//   their own parents, and by central (supervision, only after stating a reason: the reason gate);
// - an object outside one's reach answers exactly like a missing one (404), never "forbidden".
import type { DbTypes } from '../db';
import type { Role } from '../db/generated/enums';
import type { DeadlineKind } from '../../rules/deadlines';

export interface PolicyGrant {
  role: Role;
  districtId: string | null;
  courseId: string | null;
}

export interface PolicyUser {
  id: string;
  grants: readonly PolicyGrant[];
}

type Roles = readonly Role[];

/** The staff areas and the roles that enter them. */
export const AREA_ROLES = {
  /** The staff start page. */
  staffHome: ['groupLeader', 'admin', 'central', 'guide'],
  /** The working list and the case pages of one's own courses. */
  caseHandling: ['groupLeader', 'admin', 'guide'],
  /** Moving a course's sessions, giving them rooms (R2.6). */
  sessions: ['groupLeader', 'admin'],
  /** Uploading and removing course material (R3.3, R5.1). */
  materials: ['groupLeader', 'guide', 'admin'],
  /** A course's survey results and fidelity (R3.5). */
  surveyResults: ['groupLeader', 'guide', 'instructor', 'admin'],
  /** The instructor's trainings (R7). */
  trainings: ['instructor', 'admin'],
  /** Central's case inspector: supervisors only, not the admin, leaders, guides or instructors. */
  inspector: ['central'],
  /** The registry (diarium) and archive export. */
  diarium: ['central', 'admin'],
  /** The review of the audit trail: the one role that supervises staff activity. */
  auditReview: ['central'],
  /** Fees, invoices and certificates (R8.6). */
  fees: ['admin'],
  /** The guide's own parents in the web course (R5). */
  guidance: ['guide'],
  /** The city-wide statistics (R9). */
  statistics: ['central'],
  /** The administrator's desk, settings and chat administration (R8). */
  administration: ['admin'],
  /** The anonymous chat's console (R10.3). */
  chatConsole: ['counsellor'],
} as const satisfies Record<string, Roles>;

export type Area = keyof typeof AREA_ROLES;

/** Roles whose grants name the courses they handle (an admin handles all of them). */
const SCOPED_HANDLER_ROLES = ['groupLeader', 'guide', 'instructor'] as const satisfies Roles;
/** Roles that open any case for supervision, once they have stated why (R11.5). */
const SUPERVISOR_ROLES = ['central'] as const satisfies Roles;
/** The roles that run trainings (R7.1). */
const TRAINING_ROLES = AREA_ROLES.trainings;
/** Who acts on the groups of a course from its results page (decisions, material). */
const COURSE_HANDLING_ROLES = ['groupLeader', 'admin'] as const satisfies Roles;

export function hasRole(user: PolicyUser | null | undefined, ...roles: Roles): boolean {
  return !!user && user.grants.some((g) => roles.includes(g.role));
}

export function isStaff(user: PolicyUser | null | undefined): boolean {
  return !!user && user.grants.some((g) => g.role !== 'parent');
}

export function mayEnter(user: PolicyUser | null | undefined, area: Area): boolean {
  return hasRole(user, ...AREA_ROLES[area]);
}

// ---- Courses ----

export interface CourseFacts {
  id: string;
  districtId: string | null;
}

function grantsCourse(grants: readonly PolicyGrant[], course: CourseFacts): boolean {
  if (grants.some((g) => g.role === 'admin')) return true;
  return grants.some(
    (g) =>
      (SCOPED_HANDLER_ROLES as Roles).includes(g.role) &&
      ((!!g.districtId && g.districtId === course.districtId) || (!!g.courseId && g.courseId === course.id)),
  );
}

function scopeOfGrants(grants: readonly PolicyGrant[]): DbTypes.Prisma.CourseWhereInput | null {
  if (grants.some((g) => g.role === 'admin')) return {};
  const handler = grants.filter((g) => (SCOPED_HANDLER_ROLES as Roles).includes(g.role));
  const districtIds = handler.map((g) => g.districtId).filter((x): x is string => !!x);
  const courseIds = handler.map((g) => g.courseId).filter((x): x is string => !!x);
  if (!districtIds.length && !courseIds.length) return null;
  return { OR: [{ districtId: { in: districtIds } }, { id: { in: courseIds } }] };
}

/** Whether the user handles this course (its cases, sessions, material, results). */
export function mayOpenCourse(user: PolicyUser, course: CourseFacts): boolean {
  return grantsCourse(user.grants, course);
}

/** The courses the user handles as a Prisma filter: {} for all, null for none. */
export function courseScope(user: PolicyUser): DbTypes.Prisma.CourseWhereInput | null {
  return scopeOfGrants(user.grants);
}

/** The trainings the user runs (R7.1): an instructor's granted trainings, or all for an admin. */
export function trainingScope(user: PolicyUser): DbTypes.Prisma.CourseWhereInput | null {
  return scopeOfGrants(user.grants.filter((g) => (TRAINING_ROLES as Roles).includes(g.role)));
}

/** Whether the user runs this training (the caller checks that the course is a training). */
export function mayRunTraining(user: PolicyUser, course: CourseFacts): boolean {
  return grantsCourse(user.grants.filter((g) => (TRAINING_ROLES as Roles).includes(g.role)), course);
}

// ---- Cases ----

export interface CaseFacts {
  personId: string;
  guideId: string | null;
  course: CourseFacts;
}

/**
 * How the user reaches a case: as its parent, as the one who handles it (its course, or a guide's
 * own parent), as a supervisor (only after stating a reason), or not at all.
 */
export type CaseWay = 'owner' | 'handler' | 'supervisor' | null;

/** How staff reach a case (never as its parent). */
function staffWay(user: PolicyUser, facts: CaseFacts): Exclude<CaseWay, 'owner'> {
  if (grantsCourse(user.grants, facts.course)) return 'handler';
  if (hasRole(user, 'guide') && facts.guideId === user.id) return 'handler';
  if (hasRole(user, ...SUPERVISOR_ROLES)) return 'supervisor';
  return null;
}

export function caseWay(user: PolicyUser, facts: CaseFacts): CaseWay {
  return facts.personId === user.id ? 'owner' : staffWay(user, facts);
}

/** Whether the user may open the case at all (a supervisor only behind the reason gate). */
export function mayOpenCase(user: PolicyUser, facts: CaseFacts): boolean {
  return caseWay(user, facts) !== null;
}

/**
 * Whether the reason gate may record a look at this case (POST /personal/atkomst): staff who handle
 * it or supervise. Anything else answers like a missing case and writes nothing.
 */
export function mayStateReasonFor(user: PolicyUser, facts: CaseFacts): boolean {
  return isStaff(user) && staffWay(user, facts) !== null;
}

/** What a parent does on their own case (R2.9): open it, withdraw, answer an offered seat. */
export type OwnCaseAction = 'open' | 'withdraw' | 'answerOffer';

/** Only the parent whose case it is; anyone else's case answers like a missing one. */
export function mayActOnOwnCase(user: PolicyUser, facts: Pick<CaseFacts, 'personId'>, _action: OwnCaseAction): boolean {
  return facts.personId === user.id;
}

export type CaseAction =
  /** Staff handling: open the case page, decide, remove a participant, write to the parent, move a deadline. */
  | 'handle'
  | 'decide'
  | 'remove'
  | 'message'
  | 'changeDeadline'
  /** A web course's guide with their own parent: diary answers, module sign-off (R5). */
  | 'guide'
  /** Central's inspector: read the case and its workflows, act on them (after the reason gate). */
  | 'inspect'
  /** The registry (diarium): read the case record and export its archive package (after the reason gate). */
  | 'registry';

/**
 * Whether staff may take this action on the case. Handling needs the case-handling area's role as
 * well as the case's course (an instructor reaches training cases through the instructor's pages);
 * the inspector and the registry reach every case, each behind the reason gate.
 */
export function mayActOnCase(user: PolicyUser, facts: CaseFacts, action: CaseAction): boolean {
  if (action === 'inspect') return mayEnter(user, 'inspector');
  if (action === 'registry') return mayEnter(user, 'diarium');
  if (action === 'guide') return mayEnter(user, 'guidance') && facts.guideId === user.id;
  return staffWay(user, facts) === 'handler' && mayEnter(user, 'caseHandling');
}

/** Who may move which deadline (feature table row 64): the course's leader an offer's; the admin every one. */
export const DEADLINE_ROLES = {
  offerAnswer: ['groupLeader', 'admin'],
  managerConsent: ['admin'],
  invoiceDue: ['admin'],
} as const satisfies Record<DeadlineKind, Roles>;

/** Which running deadlines of a case the user may move (feature table row 64). */
export function mayChangeDeadline(user: PolicyUser, kind: DeadlineKind): boolean {
  return hasRole(user, ...DEADLINE_ROLES[kind]);
}

// ---- Material ----

/** What the material download asks: the staff courses (any file of theirs) and the person (their cases' files). */
export function materialReach(user: PolicyUser): { personId: string; staffScope: DbTypes.Prisma.CourseWhereInput | null } {
  return { personId: user.id, staffScope: courseScope(user) };
}

/** Whether the user uploads and removes material of this course. */
export function mayManageMaterial(user: PolicyUser, course: CourseFacts): boolean {
  return mayEnter(user, 'materials') && mayOpenCourse(user, course);
}

// ---- Survey results ----

/** Whether the user sees this course's survey results (R3.5). */
export function maySeeSurveyResults(user: PolicyUser, course: CourseFacts): boolean {
  return mayEnter(user, 'surveyResults') && mayOpenCourse(user, course);
}

/** Whether the results page offers the course's handling (decisions, material) too. */
export function mayHandleFromResults(user: PolicyUser): boolean {
  return hasRole(user, ...COURSE_HANDLING_ROLES);
}

// ---- Invoices and certificates ----

/** An invoice's or certificate's PDF: the person whose case it is, and admins (R8.6). */
export function mayOpenCaseDocument(user: PolicyUser | null | undefined, ownerId: string): boolean {
  return !!user && (user.id === ownerId || mayEnter(user, 'fees'));
}

// ---- Audit trail ----

/** Whether the user reviews the audit trail (R11.5). */
export function mayReviewAudit(user: PolicyUser | null | undefined): boolean {
  return mayEnter(user, 'auditReview');
}

// ---- The chat ----

/**
 * Recording a closed conversation's anonymous outcome (issue 17): only the counsellor who held it
 * when it closed. Nobody else was in the conversation, an admin included, so nobody else can say
 * what it was about; anyone else gets the answer a missing conversation gets.
 */
export function mayRecordChatOutcome(user: PolicyUser | null | undefined, conversation: { counsellorId: string | null }): boolean {
  return mayEnter(user, 'chatConsole') && conversation.counsellorId !== null && conversation.counsellorId === user!.id;
}
