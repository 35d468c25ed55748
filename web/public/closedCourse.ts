// A closed or past course (issue 16): its address still answers, with a page that says the course
// takes no applications and links to courses that do, instead of a bare 404 or the form.
import type { Context } from 'hono';
import { listOpenCourses, unavailableCourse, type CourseUnavailable } from '../../lib/courses/catalog';
import type { AppEnv } from '../context';
import { render } from '../render';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUGGESTIONS = 3;

/** The course behind `id` if it is closed or over; null if it is open, a draft, or not a course. */
export async function closedCourse(c: Context<AppEnv>, id: string): Promise<CourseUnavailable | null> {
  return UUID.test(id) ? unavailableCourse(c.get('deps').db, id) : null;
}

export async function showClosedCourse(c: Context<AppEnv>, course: CourseUnavailable) {
  const db = c.get('deps').db;
  const district = await db.course.findUnique({ where: { id: course.id }, select: { district: { select: { slug: true } } } });
  const open = await listOpenCourses(db, { kind: course.kind });
  // Open courses of the same kind, those in the same district first.
  const slug = district?.district?.slug;
  const suggestions = [...open.filter((k) => slug && k.district?.slug === slug), ...open.filter((k) => !slug || k.district?.slug !== slug)].slice(0, SUGGESTIONS);
  const training = course.kind === 'training';
  return render(c, '/public/views/courseClosed', {
    title: course.title,
    course,
    suggestions,
    listPath: training ? '/utbildningar' : '/kurser',
    training,
  });
}
