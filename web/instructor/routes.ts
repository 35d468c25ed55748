// The instructor's console (R7.3–R7.7): their trainings; per training the consented applicants to
// admit to a supervision group or queue, the groups and their participants, attendance per session,
// e-mail to participants, the compiled evaluations and the approval for the certificate.
// Another training answers 404 like a missing one; non-staff get 403 from the guard.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { admittedParticipants, previousMarks, readMarks, saveMarks } from '../../lib/trainings/attendance';
import { canMarkAttendance } from '../../rules/sessions';
import { DecisionForm, groupOfTraining, QUEUE_REASON_MAX, sendInstructorDecision } from '../../lib/trainings/decision';
import { instructedTraining, isUuid, listInstructedTrainings } from '../../lib/trainings/instructorScope';
import { MAIL_SUBJECT_MAX, mailParticipants, ParticipantMailForm } from '../../lib/trainings/participantMail';
import {
  createSupervisionGroup,
  GROUP_NAME_MAX,
  GroupForm,
  loadTrainingOverview,
  trainingApplication,
  workplaceOf,
} from '../../lib/trainings/participants';
import * as enrolmentCommands from '../../lib/commands/professionalEnrolment';
import { canInstructorDecide, type EnrolmentStatus } from '../../rules/enrolmentCase';
import { isRefusal } from '../../rules/refusals';
import { whenReached } from '../errors';
import { CASE_MESSAGE_MAX } from '../../lib/cases/messages';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireArea } from '../security/guards';
import { auditOwnCaseOpened } from '../audit/ownCase';
import { fieldErrors } from '../../lib/validation/fieldErrors';

const BASE = '/instruktor/utbildningar';
const Flash = z.object({
  grupp: z.literal('1').optional().catch(undefined),
  antagen: z.string().regex(CASE_NUMBER_PATTERN).optional().catch(undefined),
  koad: z.string().regex(CASE_NUMBER_PATTERN).optional().catch(undefined),
  plats: z.coerce.number().int().min(1).optional().catch(undefined),
  skickat: z.coerce.number().int().min(0).optional().catch(undefined),
  godkand: z.enum(['1', '0']).optional().catch(undefined),
  nekad: z.string().refine(isRefusal).optional().catch(undefined),
});
const ApproveForm = z.object({ approved: z.enum(['1', '0']) });

type Training = NonNullable<Awaited<ReturnType<typeof instructedTraining>>>;

async function ownTraining(c: Context<AppEnv>): Promise<Training> {
  const course = await instructedTraining(c.get('deps').db, c.get('user')!, c.req.param('courseId'));
  if (!course) throw new HTTPException(404);
  return course;
}

async function ownApplication(c: Context<AppEnv>, course: Training) {
  const caseNumber = c.req.param('caseNumber') ?? '';
  const app = CASE_NUMBER_PATTERN.test(caseNumber) ? await trainingApplication(c.get('deps').db, course.id, caseNumber) : null;
  if (!app) throw new HTTPException(404);
  return app;
}

async function showTraining(c: Context<AppEnv>, course: Training, extra: Record<string, unknown> = {}, status: 200 | 422 = 200) {
  const overview = await loadTrainingOverview(c.get('deps').db, course.id);
  const admitted = overview.groups.reduce((n, g) => n + g.applications.filter((a) => a.status === 'admitted').length, 0) + overview.admittedWithoutGroup.length;
  return render(
    c,
    '/instructor/views/training',
    {
      title: course.title,
      course,
      ...overview,
      admitted,
      workplaceOf,
      groupNameMax: GROUP_NAME_MAX,
      subjectMax: MAIL_SUBJECT_MAX,
      bodyMax: CASE_MESSAGE_MAX,
      flash: Flash.parse(c.req.query()),
      values: {},
      ...extra,
    },
    status,
  );
}

async function showApplication(c: Context<AppEnv>, course: Training, app: Awaited<ReturnType<typeof ownApplication>>, extra: Record<string, unknown> = {}, status: 200 | 422 = 200) {
  const groups = await c.get('deps').db.supervisionGroup.findMany({ where: { courseId: course.id }, orderBy: { name: 'asc' } });
  return render(
    c,
    '/instructor/views/application',
    { title: app.caseNumber, course, app, groups, workplace: workplaceOf(app.answers), reasonMax: QUEUE_REASON_MAX, values: {}, ...extra },
    status,
  );
}

export function instructorRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/instruktor', requireArea('trainings'));
  app.use('/instruktor/*', requireArea('trainings'));

  app.get('/instruktor', async (c) => {
    const trainings = await listInstructedTrainings(c.get('deps').db, c.get('user')!);
    return render(c, '/instructor/views/list', { title: c.get('t')('instructor.title'), trainings });
  });

  app.get(`${BASE}/:courseId`, async (c) => showTraining(c, await ownTraining(c)));

  app.post(`${BASE}/:courseId/grupper`, async (c) => {
    const course = await ownTraining(c);
    const form = await c.req.parseBody();
    const values = { name: typeof form.name === 'string' ? form.name : '' };
    const parsed = GroupForm.safeParse(form);
    if (!parsed.success) return showTraining(c, course, { values, errors: fieldErrors(parsed.error), flash: {} }, 422);
    const created = await createSupervisionGroup(c.get('deps').db, course.id, parsed.data.name);
    if (!created.ok) return showTraining(c, course, { values, errors: { [created.field]: created.error }, flash: {} }, 422);
    return c.redirect(`${BASE}/${course.id}?grupp=1#groups-heading`, 303);
  });

  app.get(`${BASE}/:courseId/ansokningar/:caseNumber`, async (c) => {
    const course = await ownTraining(c);
    const application = await ownApplication(c, course);
    await auditOwnCaseOpened(c, application);
    return showApplication(c, course, application);
  });

  app.post(`${BASE}/:courseId/ansokningar/:caseNumber/beslut`, async (c) => {
    const course = await ownTraining(c);
    const application = await ownApplication(c, course);
    const form = await c.req.parseBody();
    const values = { groupId: typeof form.groupId === 'string' ? form.groupId : '', reason: typeof form.reason === 'string' ? form.reason : '' };
    const parsed = DecisionForm.safeParse(form);
    if (!parsed.success) return showApplication(c, course, application, { values, errors: fieldErrors(parsed.error) }, 422);
    if (parsed.data.decision === 'admit' && !(await groupOfTraining(c.get('deps').db, course.id, parsed.data.groupId))) {
      return showApplication(c, course, application, { values, errors: { groupId: 'instructor.errors.groupRequired' } }, 422);
    }
    // The workflow's validator decides too; this spares it a call for what it would refuse.
    const decidable = canInstructorDecide(application.status as EnrolmentStatus, parsed.data.decision);
    if (!decidable.ok) return showApplication(c, course, application, { values, refusal: decidable.code }, 422);
    const result = whenReached(await sendInstructorDecision(c.get('deps'), application, parsed.data, c.get('user')!.id));
    if (!result.ok) return showApplication(c, course, application, { values, refusal: result.code }, 422);
    const query =
      parsed.data.decision === 'admit'
        ? `antagen=${application.caseNumber}`
        : `koad=${application.caseNumber}${result.queuePosition ? `&plats=${result.queuePosition}` : ''}`;
    return c.redirect(`${BASE}/${course.id}?${query}`, 303);
  });

  app.post(`${BASE}/:courseId/deltagare/:caseNumber/godkand`, async (c) => {
    const course = await ownTraining(c);
    const application = await ownApplication(c, course);
    const parsed = ApproveForm.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new HTTPException(400);
    // Only participants in the training (or who finished it) can be approved for the certificate.
    if (application.status !== 'admitted' && application.status !== 'completed') throw new HTTPException(404);
    // "Godkänd" once the training is completed (rules/training.ts): the workflow checks the records.
    const result = whenReached(
      await enrolmentCommands.markApproved(c.get('deps').temporal, application.workflowId, { approved: parsed.data.approved === '1', actorId: c.get('user')!.id }),
    );
    const outcome = result.ok ? `godkand=${parsed.data.approved}` : `nekad=${result.code}`;
    return c.redirect(`${BASE}/${course.id}?${outcome}#groups-heading`, 303);
  });

  app.get(`${BASE}/:courseId/traffar/:sessionId/narvaro`, async (c) => {
    const course = await ownTraining(c);
    const session = await ownSession(c, course);
    return showAttendance(c, course, session, { saved: c.req.query('sparat') === '1' });
  });

  app.post(`${BASE}/:courseId/traffar/:sessionId/narvaro`, async (c) => {
    const course = await ownTraining(c);
    const session = await ownSession(c, course);
    const db = c.get('deps').db;
    const participants = await admittedParticipants(db, course.id);
    const result = readMarks(await c.req.parseBody(), new Set(participants.map((p) => p.id)));
    if (!result.ok) return showAttendance(c, course, session, { error: result.error }, 422);
    const saved = await saveMarks(db, session, result.marks, c.get('user')!.id);
    if (!saved.ok) return showAttendance(c, course, session, { refused: saved.code }, 422);
    return c.redirect(`${BASE}/${course.id}/traffar/${session.id}/narvaro?sparat=1`, 303);
  });

  app.post(`${BASE}/:courseId/meddelande`, async (c) => {
    const course = await ownTraining(c);
    const deps = c.get('deps');
    const form = await c.req.parseBody();
    const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
    const values = { to: str('to'), subject: str('subject'), body: str('body') };
    const parsed = ParticipantMailForm.safeParse(form);
    const errors = parsed.success ? {} : fieldErrors(parsed.error);
    const to = parsed.success ? parsed.data.to : values.to;
    if (to !== 'all' && !(await groupOfTraining(deps.db, course.id, to))) errors.to ??= 'instructor.errors.recipientsRequired';
    if (!parsed.success || Object.keys(errors).length) return showTraining(c, course, { values, errors, flash: {} }, 422);
    const sent = await mailParticipants(deps, {
      courseId: course.id,
      groupId: to === 'all' ? null : to,
      subject: parsed.data.subject,
      body: parsed.data.body,
      authorId: c.get('user')!.id,
      trainingTitle: course.title,
    });
    return c.redirect(`${BASE}/${course.id}?skickat=${sent}#mail-heading`, 303);
  });

  return app;
}

async function ownSession(c: Context<AppEnv>, course: Training) {
  const sessionId = c.req.param('sessionId');
  const session = isUuid(sessionId) ? await c.get('deps').db.courseSession.findFirst({ where: { id: sessionId, courseId: course.id } }) : null;
  if (!session) throw new HTTPException(404);
  return session;
}

async function showAttendance(
  c: Context<AppEnv>,
  course: Training,
  session: { id: string; startsAt: Date; endsAt: Date },
  extra: Record<string, unknown>,
  status: 200 | 422 = 200,
) {
  const db = c.get('deps').db;
  const [participants, marks] = await Promise.all([admittedParticipants(db, course.id), previousMarks(db, session.id)]);
  // Ahead of the session the page says when the form opens instead of offering it (R7.5).
  const open = canMarkAttendance(session, new Date()).ok;
  return render(c, '/instructor/views/attendance', { title: c.get('t')('instructor.attendance.title'), course, session, participants, marks, open, ...extra }, status);
}

