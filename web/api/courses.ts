// GET /api/v1/courses: the open courses, public like the course pages (R1.1, R11.4). Staff
// trainings are not applied for by citizens, so they are not listed.
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { listOpenCourses } from '../../lib/courses/catalog';

const Filters = z.object({
  district: z.string().max(100).optional(),
  kind: z.enum(['groupCourse', 'webCourse'], { error: 'kind must be groupCourse or webCourse' }).optional(),
  language: z.string().max(20).optional(),
});

export async function listCourses(c: Context<AppEnv>) {
  const parsed = Filters.safeParse(c.req.query());
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    throw new ApiError(400, 'bad_request', 'Invalid query parameters', fields);
  }
  const { district, kind, language } = parsed.data;
  const courses = await listOpenCourses(c.get('deps').db, { district, kind, language });
  const out = courses
    .filter((course) => course.kind !== 'training')
    .map(({ description: _description, sessions, ...course }) => {
      const dated = sessions.map((s) => ({ startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), place: s.place }));
      return { ...course, status: 'open' as const, sessions: dated, firstSession: dated[0]?.startsAt ?? null };
    });
  return c.json({ courses: out });
}
