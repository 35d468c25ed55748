// The upload form, checked on the server: a title, one allowed file, and optionally the session
// (group course) or module (web course) the material belongs to. Messages are translation keys.
import { z } from 'zod';
import { cleanFileName } from './fileName';
import { checkMaterialFile } from './fileType';

export const TITLE_MAX = 200;

export interface UploadContext {
  /** The course's sessions: the only ones material may be linked to. */
  sessionIds: string[];
  /** The course's CourseModule rows: material may belong to module 1..moduleCount. */
  moduleCount: number;
  maxBytes: number;
}

export interface MaterialUpload {
  title: string;
  fileName: string;
  mimeType: string;
  content: Uint8Array<ArrayBuffer>;
  sessionId: string | null;
  moduleNumber: number | null;
}

export type UploadResult =
  | { ok: true; upload: MaterialUpload }
  | { ok: false; errors: Record<string, string>; values: Record<string, string> };

const optionalChoice = z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), z.string().optional());

function schemaFor(ctx: UploadContext) {
  return z.object({
    title: z
      .string({ error: 'errors.required' })
      .trim()
      .min(1, { error: 'errors.required' })
      .max(TITLE_MAX, { error: 'materials.errors.titleTooLong' }),
    sessionId: optionalChoice.refine((v) => v === undefined || ctx.sessionIds.includes(v), { error: 'materials.errors.session' }),
    moduleNumber: optionalChoice
      .transform((v) => (v === undefined ? undefined : Number(v)))
      .refine((n) => n === undefined || (Number.isInteger(n) && n >= 1 && n <= ctx.moduleCount), { error: 'materials.errors.module' }),
  });
}

/** `form` as Hono's parseBody() gives it. Nothing is stored here: the caller stores a valid upload. */
export async function parseMaterialUpload(form: Record<string, unknown>, ctx: UploadContext): Promise<UploadResult> {
  const values = {
    title: typeof form.title === 'string' ? form.title : '',
    sessionId: typeof form.sessionId === 'string' ? form.sessionId : '',
    moduleNumber: typeof form.moduleNumber === 'string' ? form.moduleNumber : '',
  };
  const errors: Record<string, string> = {};
  const fields = schemaFor(ctx).safeParse(form);
  if (!fields.success) {
    for (const issue of fields.error.issues) {
      const name = String(issue.path[0]);
      errors[name] ??= /^(materials\.)?errors\./.test(issue.message) ? issue.message : 'errors.invalid';
    }
  }

  const file = form.file;
  let checked: { fileName: string; mimeType: string; content: Uint8Array<ArrayBuffer> } | null = null;
  if (!(file instanceof File) || (file.size === 0 && file.name === '')) {
    errors.file = 'materials.errors.fileMissing';
  } else if (file.size > ctx.maxBytes) {
    errors.file = 'materials.errors.tooLarge'; // before reading it into memory
  } else {
    const fileName = cleanFileName(file.name);
    const content = new Uint8Array(await file.arrayBuffer());
    const check = checkMaterialFile(fileName, content, ctx.maxBytes);
    if (!check.ok) errors.file = `materials.errors.${check.error}`;
    else checked = { fileName, mimeType: check.mimeType, content };
  }

  if (!fields.success || !checked || Object.keys(errors).length) return { ok: false, errors, values };
  return {
    ok: true,
    upload: {
      title: fields.data.title,
      ...checked,
      sessionId: fields.data.sessionId ?? null,
      moduleNumber: fields.data.moduleNumber ?? null,
    },
  };
}
