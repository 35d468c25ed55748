// GET /api/v1/cases/{caseNumber}: where a case stands. Only codes, ids and times leave here: no
// personnummer, names, e-mail or free text (events carry their type and time, never their data).
import type { Context } from 'hono';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { queuePosition } from '../../lib/cases/queue';
import * as parentCommands from '../../lib/commands/parentApplication';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';

export async function getCase(c: Context<AppEnv>) {
  const { db, temporal } = c.get('deps');
  const caseNumber = c.req.param('caseNumber') ?? '';
  const notFound = new ApiError(404, 'not_found', 'No such case');
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) throw notFound;

  const app = await db.application.findUnique({
    where: { caseNumber },
    select: {
      id: true,
      caseNumber: true,
      kind: true,
      status: true,
      submittedAt: true,
      workflowId: true,
      course: { select: { id: true, title: true, district: { select: { slug: true, name: true } } } },
      events: { select: { type: true, createdAt: true }, orderBy: { createdAt: 'asc' } },
    },
  });
  if (!app) throw notFound;

  // The workflow's live state is a bonus: a slow or unreachable Temporal must not fail the answer.
  const [position, workflow] = await Promise.all([queuePosition(db, app.id), parentCommands.status(temporal, app.workflowId)]);
  return c.json({
    caseNumber: app.caseNumber,
    kind: app.kind,
    status: app.status,
    submittedAt: app.submittedAt.toISOString(),
    course: app.course,
    queuePosition: position,
    workflow,
    events: app.events.map((e) => ({ type: e.type, at: e.createdAt.toISOString() })),
  });
}
