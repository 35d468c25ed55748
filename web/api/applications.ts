// POST /api/v1/applications: the city's portal submits for a citizen it has identified. The same
// validation and the same submitApplication path as the web form; retries are safe with an
// Idempotency-Key header, and a key reused for another request is refused (422, as the IETF
// Idempotency-Key draft asks). A stored case is acknowledged even while Temporal is unreachable:
// its process starts as soon as it can (issue 14).
import { createHmac, randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { Db } from '../../lib/db';
import { ApplicationApiSchema, type ApplicantDetails } from '../../lib/cases/applicationInput';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { isUniqueViolation, submitApplication } from '../../lib/cases/submitApplication';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { apiLang, translateFields } from './messages';

const IDEMPOTENCY_KEY_MAX = 200;

export async function createApplication(c: Context<AppEnv>) {
  const { db, temporal, config } = c.get('deps');
  const apiKey = c.get('apiKey')!;
  const header = idempotencyHeader(c);
  const idempotencyKey = `api:${apiKey.id}:${header ?? randomUUID()}`;

  const body = await readJsonObject(c);
  // The shared schema coerces childAge, so null, "" or false would pass as age 0; the API wants a number.
  if (!(typeof body.childAge === 'number' || (typeof body.childAge === 'string' && body.childAge.trim()))) delete body.childAge;
  const parsed = ApplicationApiSchema.safeParse(body);
  if (!parsed.success) {
    const fields = translateFields(fieldErrors(parsed.error), apiLang(c.req.header('Accept-Language')));
    throw new ApiError(422, 'invalid', 'The application has invalid or missing fields', fields);
  }
  const { courseId, email, ...details } = parsed.data;
  // Only a key the client chose can be replayed; the fingerprint tells its requests apart.
  const requestFingerprint = header === undefined ? undefined : fingerprint(config.sessionSecret, parsed.data);
  // Before anything else happens for the request (a new person row, a conflict on the e-mail).
  if (requestFingerprint && (await keyUsedForAnotherRequest(db, idempotencyKey, requestFingerprint))) throw keyReused();

  const submit = async () => {
    const person = await resolvePerson(db, email, details.personnummer);
    return submitApplication(
      { db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE },
      { personId: person.id, newPersonEmail: person.isNew ? email : undefined, courseId, details, idempotencyKey, requestFingerprint, actor: `api:${apiKey.name}` },
    );
  };
  // A parallel request made the same new person first (its e-mail or personnummer): nothing of this
  // one was stored, and the second try finds that person.
  const result = await submit().catch((err) => (isUniqueViolation(err) ? submit() : Promise.reject(err)));
  if (!result.ok) {
    if (result.code === 'course-not-open') throw new ApiError(422, 'course_not_open', 'The course is not open for applications');
    if (result.code === 'already-applied') throw new ApiError(409, 'already_applied', 'The person already has an active application to this course');
    if (result.code === 'idempotency-key-reused') throw keyReused();
    throw new ApiError(409, 'conflict', 'The personnummer belongs to another person');
  }

  const self = `/api/v1/cases/${result.caseNumber}`;
  c.header('Location', self);
  const status = result.created
    ? 'submitted'
    : ((await db.application.findUnique({ where: { caseNumber: result.caseNumber }, select: { status: true } }))?.status ?? 'submitted');
  return c.json({ caseNumber: result.caseNumber, status, links: { self } }, result.created ? 201 : 200);
}

/**
 * The request as a keyed hash of its validated fields (so key order and spacing do not matter):
 * it is stored beside the case, which holds the same data, and tells only whether two requests
 * are the same. Keyed, so it cannot be matched against guessed personnummer.
 */
function fingerprint(secret: string, data: ApplicantDetails & { courseId: string; email: string }): string {
  const fields = [data.courseId, data.email, data.name, data.personnummer, data.phone, data.childAge, data.message];
  return createHmac('sha256', secret).update(`api-application:${JSON.stringify(fields)}`).digest('base64url');
}

async function keyUsedForAnotherRequest(db: Db, idempotencyKey: string, requestFingerprint: string): Promise<boolean> {
  const [earlier] = await db.sql<{ fingerprint: string | null }>`SELECT request_fingerprint AS fingerprint FROM application WHERE idempotency_key = ${idempotencyKey}`;
  return !!earlier?.fingerprint && earlier.fingerprint !== requestFingerprint;
}

const keyReused = () =>
  new ApiError(422, 'idempotency_key_reused', 'The Idempotency-Key was already used for a different request; use a new key for a new request');

function idempotencyHeader(c: Context<AppEnv>): string | undefined {
  const value = c.req.header('Idempotency-Key');
  if (value === undefined) return undefined;
  if (!value.trim() || value.length > IDEMPOTENCY_KEY_MAX || !/^[\x21-\x7e]+$/.test(value)) {
    throw new ApiError(400, 'bad_request', `Idempotency-Key must be 1–${IDEMPOTENCY_KEY_MAX} visible ASCII characters`);
  }
  return value;
}

async function readJsonObject(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const type = c.req.header('Content-Type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError(400, 'bad_request', 'Content-Type must be application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, 'bad_request', 'The request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'bad_request', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/**
 * The applicant's person: by personnummer, else by e-mail, else a new one, made with the case
 * (`newPersonEmail`). An e-mail already tied to another personnummer is a conflict, not a takeover.
 */
async function resolvePerson(db: Db, email: string, personnummer: string): Promise<{ id: string; isNew: boolean }> {
  // One query for both lookups (at most two rows: both columns are unique); db.sql, as on every submission.
  const found = await db.sql<{ id: string; email: string; personnummer: string | null }>`
    SELECT id, email, personnummer FROM person WHERE personnummer = ${personnummer} OR email = ${email}`;
  const byPnr = found.find((p) => p.personnummer === personnummer);
  const byEmail = found.find((p) => p.email === email);
  if (byEmail?.personnummer && byEmail.personnummer !== personnummer) throw emailTaken();
  if (byPnr) return { id: byPnr.id, isNew: false };
  if (byEmail) return { id: byEmail.id, isNew: false };
  return { id: randomUUID(), isNew: true };
}

const emailTaken = () => new ApiError(409, 'conflict', 'The e-mail address belongs to a person with another personnummer');
