// The OpenAPI 3.1 description of the integration API (R11.4). The request body's schema is derived
// from the same zod schema that validates it, so the document cannot drift from the checks.
import { PARENT_CASE_STATUSES } from '../../rules/parentCase';
import { z } from 'zod';
import { SCOPES } from '../../lib/apiKeys';
import { ApplicationApiSchema, MESSAGE_MAX } from '../../lib/cases/applicationInput';

type Json = Record<string, unknown>;

function applicationRequestSchema(): Json {
  let schema: Json;
  try {
    schema = z.toJSONSchema(ApplicationApiSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  } catch {
    schema = handWrittenApplicationSchema();
  }
  delete schema.$schema; // OpenAPI 3.1 uses its own dialect; a nested $schema only confuses tools.
  const props = schema.properties as Record<string, Json>;
  // What the transforms check cannot be expressed by zod's export; say it in words.
  props.email = { ...props.email, format: 'email' };
  props.personnummer = { ...props.personnummer, description: 'YYYYMMDD-NNNN with a valid date and check digit', examples: ['19811218-9876'] };
  props.phone = { ...props.phone, description: 'Swedish (070-123 45 67) or international (+46701234567) number', examples: ['+46701112233'] };
  props.childAge = { ...props.childAge, description: "The child's age in years" };
  props.message = { ...props.message, description: 'Optional free text to the group leader' };
  return { ...schema, additionalProperties: false };
}

function handWrittenApplicationSchema(): Json {
  return {
    type: 'object',
    required: ['courseId', 'email', 'name', 'personnummer', 'phone', 'childAge'],
    properties: {
      courseId: { type: 'string', format: 'uuid' },
      email: { type: 'string', maxLength: 254 },
      name: { type: 'string', minLength: 2, maxLength: 100 },
      personnummer: { type: 'string', pattern: '^\\d{8}-\\d{4}$' },
      phone: { type: 'string' },
      childAge: { type: 'integer', minimum: 0, maximum: 18 },
      message: { type: 'string', maxLength: MESSAGE_MAX },
    },
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const nullable = (schema: Json): Json => ({ oneOf: [schema, { type: 'null' }] });
const dateTime = { type: 'string', format: 'date-time' };

const schemas: Record<string, Json> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: {
            type: 'string',
            examples: ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'invalid', 'course_not_open', 'already_applied', 'conflict', 'idempotency_key_reused'],
          },
          message: { type: 'string' },
          fields: {
            type: 'object',
            description: 'Per field, a message for the applicant (Swedish; English with Accept-Language: en)',
            additionalProperties: { type: 'string' },
          },
        },
      },
    },
  },
  District: { type: 'object', required: ['slug', 'name'], properties: { slug: { type: 'string' }, name: { type: 'string' } } },
  Course: {
    type: 'object',
    required: ['id', 'kind', 'title', 'district', 'language', 'capacity', 'freeSeats', 'status', 'sessions', 'firstSession', 'contacts'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      kind: { type: 'string', enum: ['groupCourse', 'webCourse'] },
      title: { type: 'string' },
      district: nullable(ref('District')),
      language: { type: 'string', description: 'ISO 639-1 code of the language the course is held in' },
      capacity: { type: 'integer' },
      freeSeats: { type: 'integer', description: 'Capacity minus admitted applicants and seats held by open offers' },
      status: { type: 'string', enum: ['open'] },
      sessions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['startsAt', 'endsAt', 'place'],
          properties: {
            startsAt: dateTime,
            endsAt: dateTime,
            place: { type: ['string', 'null'], description: 'Room and street address; null until decided' },
          },
        },
      },
      firstSession: nullable(dateTime),
      contacts: {
        type: 'array',
        items: {
          type: 'object',
          properties: { title: { type: 'string' }, name: { type: ['string', 'null'] }, email: { type: 'string' }, phone: { type: ['string', 'null'] } },
        },
      },
    },
  },
  ApplicationRequest: applicationRequestSchema(),
  ApplicationCreated: {
    type: 'object',
    required: ['caseNumber', 'status', 'links'],
    properties: {
      caseNumber: { type: 'string', pattern: '^KOM-\\d{4}-\\d{6}$', examples: ['KOM-2025-000042'] },
      status: { type: 'string', description: "'submitted' for a new case; the case's current status for a replay" },
      links: { type: 'object', properties: { self: { type: 'string', examples: ['/api/v1/cases/KOM-2025-000042'] } } },
    },
  },
  Case: {
    type: 'object',
    required: ['caseNumber', 'kind', 'status', 'submittedAt', 'course', 'queuePosition', 'workflow', 'events'],
    properties: {
      caseNumber: { type: 'string' },
      kind: { type: 'string', enum: ['groupCourse', 'webCourse'] },
      status: { type: 'string', enum: [...PARENT_CASE_STATUSES] },
      submittedAt: dateTime,
      course: {
        type: 'object',
        properties: { id: { type: 'string', format: 'uuid' }, title: { type: 'string' }, district: nullable(ref('District')) },
      },
      queuePosition: { type: ['integer', 'null'], description: 'Place in the district queue while queued' },
      workflow: nullable({
        type: 'object',
        description: "The case process's live state; null when it cannot be read right now",
        properties: {
          status: { type: 'string' },
          waitingFor: { type: ['string', 'null'], enum: ['confirmation', 'decision', 'notice', 'offerAnswer', 'nextSession', 'guidance', 'finalEvaluation', null] },
          queuePosition: { type: ['integer', 'null'] },
          decisions: { type: 'integer' },
          noticesSent: { type: 'array', items: { type: 'string', enum: ['confirmation', 'admitted', 'queued'] } },
          updatedAt: dateTime,
        },
      }),
      events: {
        type: 'array',
        items: { type: 'object', required: ['type', 'at'], properties: { type: { type: 'string' }, at: dateTime } },
      },
    },
  },
};

const unauthorized = error('Missing, unknown or revoked API key');

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Komet integration API',
      version: '1.0.0',
      description:
        "Stockholms stad's Komet e-service: open courses, applications submitted by the city's portal for identified citizens, and case status. Scopes: " +
        SCOPES.join(', ') +
        '.',
    },
    security: [],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'komet_… key from `npm run apikey`' } },
      schemas,
    },
    paths: {
      '/api/openapi.json': {
        get: { summary: 'This document', operationId: 'openapi', responses: { 200: { description: 'OpenAPI 3.1 document', content: json({ type: 'object' }) } } },
      },
      '/api/v1/courses': {
        get: {
          summary: 'Open courses (public)',
          operationId: 'listCourses',
          parameters: [
            { name: 'district', in: 'query', schema: { type: 'string' }, description: 'District slug, e.g. sodermalm' },
            { name: 'kind', in: 'query', schema: { type: 'string', enum: ['groupCourse', 'webCourse'] } },
            { name: 'language', in: 'query', schema: { type: 'string' }, description: 'e.g. sv, en, ar' },
          ],
          responses: {
            200: { description: 'The open courses', content: json({ type: 'object', required: ['courses'], properties: { courses: { type: 'array', items: ref('Course') } } }) },
            400: error('Invalid filter'),
          },
        },
      },
      '/api/v1/applications': {
        post: {
          summary: 'Submit an application for an identified citizen',
          operationId: 'createApplication',
          security: [{ bearer: ['applications:write'] }],
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              schema: { type: 'string', maxLength: 200 },
              description:
                'Retrying with the same key and the same request returns the same case (200) instead of a new one; the same key with a different request is refused (422 idempotency_key_reused)',
            },
            { name: 'Accept-Language', in: 'header', schema: { type: 'string' }, description: 'en for English field messages; Swedish otherwise' },
          ],
          requestBody: { required: true, content: json(ref('ApplicationRequest')) },
          responses: {
            201: {
              description:
                'Case stored and acknowledged. Its process starts at once, or, if the case service is briefly unreachable, as soon as it is back; the confirmation to the citizen follows from the process',
              content: json(ref('ApplicationCreated')),
            },
            200: { description: 'Replay of an earlier request with the same Idempotency-Key', content: json(ref('ApplicationCreated')) },
            400: error('Malformed JSON, a body that is not UTF-8, wrong Content-Type or bad Idempotency-Key'),
            401: unauthorized,
            403: error('The key lacks the scope applications:write'),
            409: error('already_applied: an active application to the course exists; conflict: e-mail or personnummer belongs to another person'),
            413: error('payload_too_large: the body is larger than 32 kB'),
            422: error(
              'invalid: field errors in `fields` (also a control character such as NUL in any string); course_not_open: the course does not take applications; idempotency_key_reused: the Idempotency-Key came with a different request before',
            ),
          },
        },
      },
      '/api/v1/cases/{caseNumber}': {
        get: {
          summary: 'Status of a case (no personal data)',
          operationId: 'getCase',
          security: [{ bearer: ['cases:read'] }],
          parameters: [{ name: 'caseNumber', in: 'path', required: true, schema: { type: 'string', pattern: '^KOM-\\d{4}-\\d{6}$' } }],
          responses: {
            200: { description: 'The case', content: json(ref('Case')) },
            401: unauthorized,
            403: error('The key lacks the scope cases:read'),
            404: error('No such case'),
          },
        },
      },
    },
  };
}
