// The access policy without a server: each kind of object is open to the roles and grants that
// reach it, and closed to everyone else (R3.2, R11.5).
import { describe, expect, it } from 'vitest';
import { Role } from '../db/generated/enums';
import {
  AREA_ROLES,
  caseWay,
  courseScope,
  materialReach,
  mayActOnCase,
  mayActOnOwnCase,
  mayChangeDeadline,
  mayEnter,
  mayHandleFromResults,
  mayManageMaterial,
  mayOpenCase,
  mayOpenCaseDocument,
  mayOpenCourse,
  mayRecordChatOutcome,
  mayReviewAudit,
  mayRunTraining,
  maySeeSurveyResults,
  mayStateReasonFor,
  trainingScope,
  type CaseFacts,
  type PolicyGrant,
  type PolicyUser,
} from './index';

const SODERMALM = 'd-sodermalm';
const RINKEBY = 'd-rinkeby';
const COURSE_S = { id: 'c-sodermalm', districtId: SODERMALM };
const COURSE_R = { id: 'c-rinkeby', districtId: RINKEBY };
const WEB_COURSE = { id: 'c-web', districtId: null };
const TRAINING = { id: 'c-training', districtId: null };
const OTHER_TRAINING = { id: 'c-training-2', districtId: null };

function user(id: string, ...grants: Partial<PolicyGrant>[]): PolicyUser {
  return { id, grants: grants.map((g) => ({ role: 'parent', districtId: null, courseId: null, ...g })) };
}

const leaderS = user('leader-s', { role: 'groupLeader', districtId: SODERMALM });
const admin = user('admin', { role: 'admin' });
const central = user('central', { role: 'central' });
const guide = user('guide', { role: 'guide', courseId: WEB_COURSE.id });
const instructor = user('instructor', { role: 'instructor', courseId: TRAINING.id });
const counsellor = user('counsellor', { role: 'counsellor' });
const parent = user('parent', { role: 'parent' });

const caseIn = (course: CaseFacts['course'], personId = 'parent', guideId: string | null = null): CaseFacts => ({ personId, guideId, course });

describe('areas', () => {
  it('name only roles of the database enum', () => {
    for (const roles of Object.values(AREA_ROLES)) for (const r of roles) expect(Object.values(Role)).toContain(r);
  });
  it('open to their roles only', () => {
    expect(mayEnter(central, 'auditReview')).toBe(true);
    expect(mayEnter(admin, 'auditReview')).toBe(false);
    expect(mayEnter(leaderS, 'inspector')).toBe(false);
    expect(mayEnter(admin, 'diarium')).toBe(true);
    expect(mayEnter(leaderS, 'fees')).toBe(false);
    expect(mayEnter(null, 'caseHandling')).toBe(false);
  });
});

describe('courses', () => {
  it('a leader handles the courses of their district, not another district', () => {
    expect(mayOpenCourse(leaderS, COURSE_S)).toBe(true);
    expect(mayOpenCourse(leaderS, COURSE_R)).toBe(false);
  });
  it('a leader granted one more course handles that one too', () => {
    const both = user('x', { role: 'groupLeader', districtId: SODERMALM }, { role: 'groupLeader', districtId: SODERMALM, courseId: COURSE_R.id });
    expect(mayOpenCourse(both, COURSE_R)).toBe(true);
  });
  it('an admin handles every course; central, a counsellor and a parent none', () => {
    for (const c of [COURSE_S, COURSE_R, WEB_COURSE, TRAINING]) expect(mayOpenCourse(admin, c)).toBe(true);
    for (const u of [central, counsellor, parent]) expect(mayOpenCourse(u, COURSE_S)).toBe(false);
  });
  it('a guide and an instructor handle their granted course only', () => {
    expect(mayOpenCourse(guide, WEB_COURSE)).toBe(true);
    expect(mayOpenCourse(guide, COURSE_S)).toBe(false);
    expect(mayRunTraining(instructor, TRAINING)).toBe(true);
    expect(mayRunTraining(instructor, OTHER_TRAINING)).toBe(false);
    expect(mayRunTraining(guide, WEB_COURSE)).toBe(false);
  });
  it('the Prisma scopes say the same: all, none, or the grants', () => {
    expect(courseScope(admin)).toEqual({});
    expect(courseScope(central)).toBeNull();
    expect(courseScope(parent)).toBeNull();
    expect(courseScope(leaderS)).toEqual({ OR: [{ districtId: { in: [SODERMALM] } }, { id: { in: [] } }] });
    expect(trainingScope(instructor)).toEqual({ OR: [{ districtId: { in: [] } }, { id: { in: [TRAINING.id] } }] });
    expect(trainingScope(guide)).toBeNull();
    expect(trainingScope(admin)).toEqual({});
  });
});

describe('cases', () => {
  it('the parent opens their own case only', () => {
    expect(mayActOnOwnCase(parent, { personId: 'parent' }, 'withdraw')).toBe(true);
    expect(mayActOnOwnCase(parent, { personId: 'someone' }, 'answerOffer')).toBe(false);
    expect(caseWay(parent, caseIn(COURSE_S))).toBe('owner');
    expect(mayOpenCase(parent, caseIn(COURSE_S, 'someone'))).toBe(false);
  });
  it('a leader handles the cases of their courses, not another district', () => {
    expect(mayActOnCase(leaderS, caseIn(COURSE_S), 'decide')).toBe(true);
    expect(mayActOnCase(leaderS, caseIn(COURSE_R), 'decide')).toBe(false);
    expect(mayActOnCase(leaderS, caseIn(COURSE_R), 'message')).toBe(false);
  });
  it("a guide handles their own parents' cases and their web course's", () => {
    expect(mayActOnCase(guide, caseIn(WEB_COURSE), 'handle')).toBe(true);
    const otherGuide = user('guide-2', { role: 'guide', courseId: 'c-web-2' });
    expect(mayActOnCase(otherGuide, caseIn(WEB_COURSE, 'parent', 'guide-2'), 'handle')).toBe(true);
    expect(mayActOnCase(otherGuide, caseIn(WEB_COURSE), 'handle')).toBe(false);
    // The guide's own console: their own parents only, not every parent of their web course.
    expect(mayActOnCase(otherGuide, caseIn(WEB_COURSE, 'parent', 'guide-2'), 'guide')).toBe(true);
    expect(mayActOnCase(guide, caseIn(WEB_COURSE, 'parent', 'guide-2'), 'guide')).toBe(false);
    expect(mayActOnCase(admin, caseIn(WEB_COURSE, 'parent', 'guide-2'), 'guide')).toBe(false);
  });
  it('an instructor does not use the case-handling pages, though the training is theirs', () => {
    expect(caseWay(instructor, caseIn(TRAINING))).toBe('handler');
    expect(mayActOnCase(instructor, caseIn(TRAINING), 'decide')).toBe(false);
  });
  it('central supervises every case behind the reason gate, and handles none', () => {
    expect(caseWay(central, caseIn(COURSE_R))).toBe('supervisor');
    expect(mayActOnCase(central, caseIn(COURSE_R), 'inspect')).toBe(true);
    expect(mayActOnCase(central, caseIn(COURSE_R), 'decide')).toBe(false);
    expect(mayActOnCase(admin, caseIn(COURSE_R), 'inspect')).toBe(false);
    expect(mayActOnCase(admin, caseIn(COURSE_R), 'registry')).toBe(true);
    expect(mayActOnCase(leaderS, caseIn(COURSE_S), 'registry')).toBe(false);
  });
  it('the reason gate records looks only at cases the staff member may open', () => {
    expect(mayStateReasonFor(central, caseIn(COURSE_R))).toBe(true);
    expect(mayStateReasonFor(admin, caseIn(COURSE_R))).toBe(true);
    expect(mayStateReasonFor(leaderS, caseIn(COURSE_S))).toBe(true);
    expect(mayStateReasonFor(leaderS, caseIn(COURSE_R))).toBe(false);
    expect(mayStateReasonFor(guide, caseIn(COURSE_S))).toBe(false);
    expect(mayStateReasonFor(counsellor, caseIn(COURSE_S))).toBe(false);
    // A parent is no staff member, not even for their own case.
    expect(mayStateReasonFor(parent, caseIn(COURSE_S))).toBe(false);
  });
  it('deadlines: a leader moves an offer, only the admin the consent and the invoice', () => {
    expect(mayChangeDeadline(leaderS, 'offerAnswer')).toBe(true);
    expect(mayChangeDeadline(leaderS, 'managerConsent')).toBe(false);
    expect(mayChangeDeadline(leaderS, 'invoiceDue')).toBe(false);
    expect(mayChangeDeadline(admin, 'invoiceDue')).toBe(true);
  });
});

describe('material, survey results, invoices, the audit trail', () => {
  it('material: staff of the course manage it; the download reaches staff courses and the own cases', () => {
    expect(mayManageMaterial(leaderS, COURSE_S)).toBe(true);
    expect(mayManageMaterial(leaderS, COURSE_R)).toBe(false);
    expect(mayManageMaterial(instructor, TRAINING)).toBe(false);
    expect(materialReach(parent)).toEqual({ personId: 'parent', staffScope: null });
    expect(materialReach(admin)).toEqual({ personId: 'admin', staffScope: {} });
  });
  it("survey results: the course's staff, an instructor their training's; central not", () => {
    expect(maySeeSurveyResults(leaderS, COURSE_S)).toBe(true);
    expect(maySeeSurveyResults(leaderS, COURSE_R)).toBe(false);
    expect(maySeeSurveyResults(instructor, TRAINING)).toBe(true);
    expect(maySeeSurveyResults(central, COURSE_S)).toBe(false);
    expect(mayHandleFromResults(leaderS)).toBe(true);
    expect(mayHandleFromResults(guide)).toBe(false);
  });
  it("invoices and certificates: the case's own person and the admin", () => {
    expect(mayOpenCaseDocument(parent, 'parent')).toBe(true);
    expect(mayOpenCaseDocument(parent, 'someone')).toBe(false);
    expect(mayOpenCaseDocument(admin, 'someone')).toBe(true);
    expect(mayOpenCaseDocument(leaderS, 'someone')).toBe(false);
    expect(mayOpenCaseDocument(null, 'someone')).toBe(false);
  });
  it('the audit trail: central reviews it, nobody else', () => {
    expect(mayReviewAudit(central)).toBe(true);
    for (const u of [admin, leaderS, guide, instructor, counsellor, parent]) expect(mayReviewAudit(u)).toBe(false);
  });
});

describe('the chat', () => {
  it("a conversation's outcome: only the counsellor who held it, never an admin or a colleague", () => {
    const colleague = user('colleague', { role: 'counsellor' });
    expect(mayRecordChatOutcome(counsellor, { counsellorId: 'counsellor' })).toBe(true);
    expect(mayRecordChatOutcome(colleague, { counsellorId: 'counsellor' })).toBe(false);
    expect(mayRecordChatOutcome(counsellor, { counsellorId: null })).toBe(false);
    expect(mayRecordChatOutcome(user('admin', { role: 'admin' }), { counsellorId: 'admin' })).toBe(false);
    expect(mayRecordChatOutcome(null, { counsellorId: 'counsellor' })).toBe(false);
  });
});
