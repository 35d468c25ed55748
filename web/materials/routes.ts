// Course material (R2.7, R3.3, R5.1, R5.4): staff upload and remove files per course; parents
// download what the visibility rule (lib/materials/visibility.ts) opens for them. A course or file
// outside the person's reach answers 404, exactly like a missing one.
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { materialReach, mayManageMaterial } from '../../lib/policy';
import { courseFor } from '../../lib/policy/load';
import { attachmentDisposition } from '../../lib/materials/fileName';
import { formatFileSize } from '../../lib/materials/fileSize';
import { ALLOWED_TYPE_LABELS, typeLabelOf } from '../../lib/materials/fileType';
import { courseMaterials, downloadableMaterial, materialsForCase } from '../../lib/materials/materials';
import { parseMaterialUpload, TITLE_MAX } from '../../lib/materials/uploadForm';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireArea, requireUser } from '../security/guards';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE_SIZE = 25;
const COURSE_PAGE = '/personal/kurser/:courseId/material';
/** Room for the form's other fields around the largest allowed file. */
const MULTIPART_SLACK_BYTES = 64 * 1024;

/** A course the staff member handles, with what the form offers; 404 otherwise. */
async function handledCourse(c: Context<AppEnv>) {
  const course = await courseFor(
    c.get('deps').db,
    c.get('user')!,
    c.req.param('courseId'),
    {
      district: true,
      sessions: { select: { id: true, startsAt: true, endsAt: true }, orderBy: { startsAt: 'asc' } },
      modules: { select: { number: true, title: true }, orderBy: { number: 'asc' } },
    },
    mayManageMaterial,
  );
  if (!course) throw new HTTPException(404);
  return course;
}
type HandledCourse = Awaited<ReturnType<typeof handledCourse>>;

function uploadContext(c: Context<AppEnv>, course: HandledCourse) {
  const web = course.kind === 'webCourse';
  return {
    sessionIds: web ? [] : course.sessions.map((s) => s.id),
    moduleCount: web ? course.modules.length : 0,
    maxBytes: c.get('deps').config.MATERIAL_MAX_BYTES,
  };
}

const pageOf = (c: Context<AppEnv>) => Math.min(10_000, Math.max(1, Number.parseInt(c.req.query('sida') ?? '1', 10) || 1));

async function showCoursePage(
  c: Context<AppEnv>,
  course: HandledCourse,
  form: { values?: Record<string, string>; errors?: Record<string, string> } = {},
) {
  const page = pageOf(c);
  const { total, rows } = await courseMaterials(c.get('deps').db, course.id, { skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE });
  const lang = c.get('lang');
  const t = c.get('t');
  return render(
    c,
    '/materials/views/course',
    {
      title: t('materials.staffTitle', { course: course.title }),
      course,
      rows,
      total,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      values: form.values ?? {},
      errors: form.errors,
      flash: c.req.query('uppladdat') ? 'uploaded' : c.req.query('borttaget') ? 'deleted' : null,
      titleMax: TITLE_MAX,
      fileHint: t('materials.hints.file', { max: formatFileSize(c.get('deps').config.MATERIAL_MAX_BYTES, lang), types: ALLOWED_TYPE_LABELS }),
      materialSize: (n: number) => formatFileSize(n, lang),
      typeLabel: typeLabelOf,
    },
    form.errors ? 422 : 200,
  );
}

async function handledMaterial(c: Context<AppEnv>, course: HandledCourse) {
  const id = c.req.param('id') ?? '';
  const material = UUID.test(id)
    ? await c.get('deps').db.material.findFirst({ where: { id, courseId: course.id }, select: { id: true, title: true, fileName: true } })
    : null;
  if (!material) throw new HTTPException(404);
  return material;
}

/** The upload route, which has this larger limit instead of the forms' (web/security/requestBody.ts). */
export const isMaterialUpload = (path: string) => /^\/personal\/kurser\/[^/]+\/material$/.test(path);

/**
 * Refuses an upload far over the limit before anything reads it (the CSRF check reads form
 * bodies). Must run before the CSRF token middleware; a file just over the limit still reaches
 * the form, which says so beside the field.
 */
export function materialUploadLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST' || !isMaterialUpload(c.req.path)) return next();
    return bodyLimit({
      maxSize: c.get('deps').config.MATERIAL_MAX_BYTES + MULTIPART_SLACK_BYTES,
      onError: (c) => c.redirect(`${c.req.path}?fel=storlek`, 303),
    })(c, next);
  };
}

/** The material list on a parent's case page: `...await caseMaterials(c, view.id)` in its render data. */
export async function caseMaterials(c: Context<AppEnv>, applicationId: string) {
  const lang = c.get('lang');
  return {
    materials: await materialsForCase(c.get('deps').db, applicationId),
    materialSize: (n: number) => formatFileSize(n, lang),
    typeLabel: typeLabelOf,
  };
}

export function materialRoutes() {
  const app = new Hono<AppEnv>();
  const staff = requireArea('materials');
  app.use(COURSE_PAGE, staff);
  app.use(`${COURSE_PAGE}/*`, staff);
  app.use('/material/:id', requireUser);

  app.get(COURSE_PAGE, async (c) => {
    const course = await handledCourse(c);
    const tooLarge = c.req.query('fel') === 'storlek';
    return showCoursePage(c, course, tooLarge ? { errors: { file: 'materials.errors.tooLarge' } } : {});
  });

  app.post(COURSE_PAGE, async (c) => {
    const course = await handledCourse(c);
    const result = await parseMaterialUpload(await c.req.parseBody(), uploadContext(c, course));
    if (!result.ok) return showCoursePage(c, course, { values: result.values, errors: result.errors });
    const { content, ...upload } = result.upload;
    await c.get('deps').db.material.create({
      data: { ...upload, content, sizeBytes: content.byteLength, courseId: course.id, uploadedById: c.get('user')!.id },
    });
    return c.redirect(`/personal/kurser/${course.id}/material?uppladdat=1`, 303);
  });

  // Without JavaScript the delete button leads here first; the confirmed form deletes.
  app.get(`${COURSE_PAGE}/:id/ta-bort`, async (c) => {
    const course = await handledCourse(c);
    const material = await handledMaterial(c, course);
    return render(c, '/materials/views/confirmDelete', { title: c.get('t')('materials.confirm.title'), course, material });
  });

  app.post(`${COURSE_PAGE}/:id/ta-bort`, async (c) => {
    const course = await handledCourse(c);
    const material = await handledMaterial(c, course);
    const form = await c.req.parseBody();
    if (form.confirm !== 'yes') {
      return render(c, '/materials/views/confirmDelete', { title: c.get('t')('materials.confirm.title'), course, material });
    }
    await c.get('deps').db.material.deleteMany({ where: { id: material.id, courseId: course.id } });
    return c.redirect(`/personal/kurser/${course.id}/material?borttaget=1`, 303);
  });

  app.get('/material/:id', async (c) => {
    const id = c.req.param('id');
    const user = c.get('user')!;
    const material = UUID.test(id)
      ? await downloadableMaterial(c.get('deps').db, id, materialReach(user))
      : null;
    if (!material) throw new HTTPException(404);
    return c.body(material.content, 200, {
      'Content-Type': material.mimeType,
      'Content-Length': String(material.content.byteLength),
      'Content-Disposition': attachmentDisposition(material.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
  });

  return app;
}
