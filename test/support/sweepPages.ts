// The pages of the UI sweep (R1.3, R1.5, issue 16), shared by the page sweep (test/web/pageSweep.test.ts)
// and the layout and accessibility sweep in Chromium (test/browser/layoutSweep.test.ts): every
// important page, who must get it (200), and whether it is a citizen page; and the cases they show.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { DEFAULT_OUTCOME_CHOICES } from '../../prisma/referenceData';
import { DEMO_STAFF } from '../../prisma/seed';
import { TRAINING_TITLE } from '../../prisma/seedTraining';
import { WEB_COURSE_TITLE } from '../../prisma/seedWebCourse';
import { SURVEY_KINDS } from '../../lib/admin/surveyVersions';
import { TEMPLATE_KEYS, TEMPLATE_LANGS } from '../../lib/templates/messageTemplates';
import { decideUpdate, parentApplicationWorkflowId } from '../../workflows/parentApplication.messages';
import { stockholmDateString } from '../../lib/time';
import { eventually } from './eventually';
import { nextPersonnummer } from './personnummer';
import { appliesWith } from './parentApplies';
import type { TestStack } from './stack';
import { VALID_ENROLMENT_FORM, VALID_FORM, type WebClient } from './webClient';

export type Role = 'anonymous' | 'parent' | keyof Omit<typeof DEMO_STAFF, 'leaderRinkeby'>;
export const ROLES: Role[] = ['anonymous', 'parent', 'leaderSodermalm', 'admin', 'central', 'guide', 'instructor', 'counsellor'];
export const ANYONE = ROLES;
export const SIGNED_IN = ROLES.filter((r) => r !== 'anonymous');

export interface Ids {
  courseId: string;
  webCourseId: string;
  trainingId: string;
  courseSessionId: string;
  trainingSessionId: string;
  roomId: string;
  /** The parent's two cases: one waiting for the leader, one admitted. */
  submittedCase: string;
  admittedCase: string;
  /** The same person's enrolment in the professionals' training, waiting for the manager's consent. */
  enrolmentCase: string;
  /** A chat the counsellor took that has closed, its outcome still to record (issue 17). */
  closedConversation: string;
}

export interface Page {
  path: (ids: Ids) => string;
  /** Roles that must get 200; every other role must get an answer below 500 (redirect, 403, 404). */
  ok: readonly Role[];
  /** A page of the public or the citizen's own (R1.5): shown in easy-to-read Swedish and Arabic too. */
  citizen?: true;
}

export const PAGES: Page[] = [
  { path: () => '/', ok: ANYONE, citizen: true },
  { path: () => '/kurser', ok: ANYONE, citizen: true },
  { path: (i) => `/kurser/${i.courseId}`, ok: ANYONE, citizen: true },
  { path: (i) => `/kurser/${i.webCourseId}`, ok: ANYONE, citizen: true },
  { path: () => '/utbildningar', ok: ANYONE },
  { path: (i) => `/utbildningar/${i.trainingId}`, ok: ANYONE },
  { path: () => '/logga-in', ok: ['anonymous'], citizen: true },
  // The e-ID pages (issue 15): after the provider's logout, and a refusal (no e-ID login begun here).
  { path: () => '/logga-ut/klar', ok: ANYONE, citizen: true },
  { path: () => '/logga-in/e-legitimation/e-post', ok: [], citizen: true },
  { path: (i) => `/kurser/${i.courseId}/ansok`, ok: ['parent'], citizen: true },
  // The parent has answers waiting for the web course: the check page and the draft in Mina ärenden (issue 16).
  { path: (i) => `/kurser/${i.webCourseId}/ansok`, ok: ['parent'], citizen: true },
  { path: (i) => `/kurser/${i.webCourseId}/ansok/kontrollera`, ok: ['parent'], citizen: true },
  { path: (i) => `/utbildningar/${i.trainingId}/anmal`, ok: ['parent'] },
  { path: () => '/mina-arenden', ok: SIGNED_IN, citizen: true },
  { path: (i) => `/mina-arenden/${i.submittedCase}`, ok: ['parent'], citizen: true },
  { path: (i) => `/mina-arenden/${i.submittedCase}/status`, ok: ['parent'], citizen: true },
  { path: (i) => `/mina-arenden/${i.submittedCase}/aterta`, ok: ['parent'], citizen: true },
  { path: (i) => `/mina-arenden/${i.admittedCase}`, ok: ['parent'], citizen: true },
  { path: (i) => `/mina-arenden/${i.admittedCase}/status`, ok: ['parent'], citizen: true },
  { path: (i) => `/mina-arenden/${i.enrolmentCase}`, ok: ['parent'], citizen: true },
  { path: () => '/kalender', ok: SIGNED_IN, citizen: true },
  { path: () => '/om/tillganglighet', ok: ANYONE, citizen: true },
  { path: () => '/om/personuppgifter', ok: ANYONE, citizen: true },
  { path: () => '/om/kakor', ok: ANYONE, citizen: true },
  { path: () => '/personal', ok: ['leaderSodermalm', 'admin', 'central', 'guide'] },
  { path: () => '/personal/ansokningar', ok: ['leaderSodermalm', 'admin', 'guide'] },
  { path: (i) => `/personal/ansokningar/${i.submittedCase}`, ok: ['leaderSodermalm', 'admin'] },
  { path: (i) => `/personal/ansokningar/${i.admittedCase}`, ok: ['leaderSodermalm', 'admin'] },
  { path: (i) => `/personal/ansokningar/${i.admittedCase}/ta-bort`, ok: ['leaderSodermalm', 'admin'] },
  { path: () => '/personal/arenden', ok: ['central'] },
  { path: () => '/personal/arenden?status=queued&waitingDays=7', ok: ['central'] },
  // Without a pass these show the reason form: a case opens only once the reason is stated.
  { path: (i) => `/personal/arenden/${i.submittedCase}`, ok: ['central'] },
  { path: (i) => `/personal/arenden/${i.enrolmentCase}`, ok: ['central'] },
  { path: (i) => `/personal/arenden/${i.admittedCase}/till-ko`, ok: ['central'] },
  { path: (i) => `/personal/arenden/${i.admittedCase}/skicka-igen`, ok: ['central'] },
  { path: (i) => `/personal/arenden/${i.admittedCase}/avsluta`, ok: ['central'] },
  { path: () => '/personal/statistik', ok: ['central'] },
  { path: () => '/personal/statistik/chatt', ok: ['central'] },
  { path: () => '/personal/statistik/chatt?weekday=thu&hourFrom=18&hourTo=21', ok: ['central'] },
  { path: () => '/personal/granskning', ok: ['central'] },
  { path: () => '/personal/diarium', ok: ['central', 'admin'] },
  { path: () => '/personal/diarium?page=2', ok: ['central', 'admin'] },
  { path: (i) => `/personal/diarium/${i.submittedCase}`, ok: ['central', 'admin'] },
  { path: () => '/chatt', ok: ANYONE },
  { path: () => '/radgivare', ok: ['counsellor'] },
  { path: () => '/radgivare/orosanmalan', ok: ['counsellor'] },
  { path: () => '/radgivare/orosanmalningar', ok: ['counsellor'] },
  { path: () => '/radgivare/utfall', ok: ['counsellor'] },
  { path: (i) => `/radgivare/samtal/${i.closedConversation}/utfall`, ok: ['counsellor'] },
  { path: () => '/personal/admin/chatt', ok: ['admin'] },
  { path: () => '/personal/admin/chatt/utfall', ok: ['admin'] },
  { path: () => `/personal/admin/chatt/utfall/${DEFAULT_OUTCOME_CHOICES[0].id}`, ok: ['admin'] },
  { path: () => '/personal/installningar', ok: ['admin'] },
  { path: () => '/personal/admin', ok: ['admin'] },
  { path: () => '/personal/admin/behorigheter', ok: ['admin'] },
  { path: () => '/personal/admin/meddelanden', ok: ['admin'] },
  ...TEMPLATE_KEYS.flatMap((key) => TEMPLATE_LANGS.map((lang): Page => ({ path: () => `/personal/admin/meddelanden/${key}/${lang}`, ok: ['admin'] }))),
  { path: () => '/personal/admin/lokaler', ok: ['admin'] },
  { path: () => '/personal/admin/lokaler/kalender', ok: ['admin'] },
  { path: (i) => `/personal/admin/lokaler/${i.roomId}`, ok: ['admin'] },
  { path: () => '/personal/admin/enkater', ok: ['admin'] },
  ...SURVEY_KINDS.map((kind): Page => ({ path: () => `/personal/admin/enkater/${kind}`, ok: ['admin'] })),
  { path: () => '/personal/avgifter', ok: ['admin'] },
  { path: (i) => `/personal/avgifter/${i.trainingId}`, ok: ['admin'] },
  { path: () => '/personal/intyg', ok: ['admin'] },
  { path: (i) => `/personal/intyg/${i.trainingId}`, ok: ['admin'] },
  { path: () => '/guide', ok: ['guide'] },
  { path: () => '/instruktor', ok: ['instructor', 'admin'] },
  { path: (i) => `/instruktor/utbildningar/${i.trainingId}`, ok: ['instructor', 'admin'] },
  { path: (i) => `/instruktor/utbildningar/${i.trainingId}/ansokningar/${i.enrolmentCase}`, ok: ['instructor', 'admin'] },
  { path: (i) => `/instruktor/utbildningar/${i.trainingId}/traffar/${i.trainingSessionId}/narvaro`, ok: ['instructor', 'admin'] },
  { path: (i) => `/personal/kurser/${i.courseId}/material`, ok: ['leaderSodermalm', 'admin'] },
  { path: (i) => `/personal/kurser/${i.courseId}/utvardering`, ok: ['leaderSodermalm', 'admin'] },
  { path: (i) => `/personal/kurser/${i.courseId}/traffar`, ok: ['leaderSodermalm', 'admin'] },
  { path: (i) => `/personal/kurser/${i.courseId}/traffar/${i.courseSessionId}`, ok: ['leaderSodermalm', 'admin'] },
  { path: () => '/finns-inte', ok: [], citizen: true },
];

/** Logs `role` in on `client` (a parent: a fresh address of their own). */
export async function loginAs(stack: TestStack, client: WebClient, role: Role, parentEmail: string): Promise<void> {
  if (role === 'parent') await client.login(stack.deps.db, parentEmail);
  else if (role !== 'anonymous') await client.login(stack.deps.db, DEMO_STAFF[role]);
}



/** The parent's cases the pages show: one waiting for the leader, one admitted, a web-course draft, an enrolment. */
export async function createSweepCases(stack: TestStack, parent: WebClient, central: WebClient): Promise<Ids> {
  const db = stack.deps.db;
  const course = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv', kind: 'groupCourse' }, include: { sessions: true } });
  const training = await db.course.findFirstOrThrow({ where: { title: TRAINING_TITLE, kind: 'training' }, include: { sessions: true } });
  const englishCourse = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'en', kind: 'groupCourse' } });
  const webCourse = await db.course.findFirstOrThrow({ where: { title: WEB_COURSE_TITLE, kind: 'webCourse' } });
  const room = await db.room.findFirstOrThrow();
  const submittedCase = (await appliesWith(stack, parent, course.id)).caseNumber;
  const admittedCase = (await appliesWith(stack, parent, englishCourse.id)).caseNumber;
  const leaderId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.leaderSodermalm } })).id;
  const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(admittedCase));
  await handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: leaderId }] });
  await eventually(async () => expect((await db.application.findUniqueOrThrow({ where: { caseNumber: admittedCase } })).status).toBe('admitted'));
  const checked = await parent.post(`/kurser/${webCourse.id}/ansok`, { ...VALID_FORM, step: 'check', personnummer: nextPersonnummer(), submissionKey: randomUUID() });
  expect(checked.status).toBe(303);
  const enrolled = await parent.post(`/utbildningar/${training.id}/anmal`, { ...VALID_ENROLMENT_FORM, submissionKey: randomUUID() });
  expect(enrolled.status).toBe(303);
  const enrolmentCase = /KOM-\d{4}-\d{6}/.exec(enrolled.headers.get('location') ?? '')![0];
  // A chat the counsellor took and that has closed: the console asks for its outcome.
  const counsellor = await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.counsellor } });
  const chatStart = new Date(Date.now() - 20 * 60_000);
  const closedConversation = await db.chatConversation.create({
    data: { visitorKeyHash: randomUUID(), status: 'closed', counsellorId: counsellor.id, createdAt: chatStart, assignedAt: new Date(chatStart.getTime() + 60_000), closedAt: new Date(), closedReason: 'visitor' },
  });
  // A few counted chat conversations today, so the chat statistics draw their charts (issue 17).
  const today = new Date(`${stockholmDateString(new Date())}T00:00:00Z`);
  await db.chatTally.createMany({
    data: [
      { day: today, hour: 10, kind: 'answered', waitSeconds: 30, n: 6 },
      { day: today, hour: 11, kind: 'abandoned', waitSeconds: 120, n: 1 },
      { day: today, hour: 20, kind: 'closedNotice', waitSeconds: null, n: 2 },
    ],
  });
  // Central's running list reads Temporal visibility, which lags a little behind.
  await eventually(async () => expect(await (await central.get('/personal/arenden')).text()).toContain(enrolmentCase));
  return {
    courseId: course.id,
    webCourseId: webCourse.id,
    trainingId: training.id,
    courseSessionId: course.sessions[0].id,
    trainingSessionId: training.sessions[0].id,
    roomId: room.id,
    submittedCase,
    admittedCase,
    enrolmentCase,
    closedConversation: closedConversation.id,
  };
}
