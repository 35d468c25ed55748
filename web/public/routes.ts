// Public information and the course catalogue (R1.1, R1.2, R3.1).
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { getOpenCourse, listOpenCourses } from '../../lib/courses/catalog';
import { stockholmInstant } from '../../lib/time';
import type { AppEnv } from '../context';
import { render } from '../render';
import { closedCourse, showClosedCourse } from './closedCourse';

const PAGE_SIZE = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const Filter = z.object({
  district: z.string().regex(/^[a-z-]{1,60}$/).optional().catch(undefined),
  kind: z.enum(['groupCourse', 'webCourse']).optional().catch(undefined),
  language: z.string().regex(/^[a-z]{2}$/).optional().catch(undefined),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});

export function publicRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const db = c.get('deps').db;
    const [districts, courses] = await Promise.all([
      db.district.findMany({ orderBy: { name: 'asc' } }),
      listOpenCourses(db),
    ]);
    const perDistrict = new Map<string, number>();
    for (const course of courses) if (course.district) perDistrict.set(course.district.slug, (perDistrict.get(course.district.slug) ?? 0) + 1);
    return render(c, '/public/views/home', {
      running: districts.filter((d) => perDistrict.has(d.slug)).map((d) => ({ ...d, courses: perDistrict.get(d.slug) })),
      notRunning: districts.filter((d) => !perDistrict.has(d.slug)),
      webCourses: courses.filter((k) => k.kind === 'webCourse').length,
    });
  });

  app.get('/kurser', async (c) => {
    const filter = Filter.parse(c.req.query());
    const db = c.get('deps').db;
    const [districts, all] = await Promise.all([
      db.district.findMany({ orderBy: { name: 'asc' }, where: { courses: { some: { status: 'open' } } } }),
      listOpenCourses(db, {
        district: filter.district,
        kind: filter.kind,
        language: filter.language,
        startsFrom: filter.from ? stockholmInstant(filter.from, '00:00') : undefined,
      }),
    ]);
    const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
    const page = Math.min(filter.page, pages);
    const query = new URLSearchParams(
      Object.entries({ district: filter.district, kind: filter.kind, language: filter.language, from: filter.from }).filter(
        (e): e is [string, string] => !!e[1],
      ),
    ).toString();
    return render(c, '/public/views/courses', {
      title: c.get('t')('courses.title'),
      filter,
      districts,
      languages: ['sv', 'en', 'ar', 'so', 'fa'],
      courses: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
      total: all.length,
      page,
      pages,
      query,
    });
  });

  app.get('/kurser/:id', async (c) => {
    const id = c.req.param('id');
    const closed = await closedCourse(c, id);
    if (closed && closed.kind !== 'training') return showClosedCourse(c, closed);
    const course = UUID.test(id) ? await getOpenCourse(c.get('deps').db, id) : null;
    if (!course) throw new HTTPException(404);
    return render(c, '/public/views/course', { title: course.title, course });
  });

  return app;
}
