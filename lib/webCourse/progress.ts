// Where a web-course parent is (R4, R5.3–R5.4): the modules as done / current / locked, the
// current module's text and the diary thread. The database is the truth: the guidance workflow's
// sign-off activity moves Application.currentModule at once, so pages never ask the workflow.
import type { Db } from '../db';

/** The case event the sign-off activity writes; its time is when the next module opened. */
export const MODULE_SIGNED_OFF_EVENT = 'module.signedOff';

export type ModuleState = 'done' | 'current' | 'locked';

export interface ModuleView {
  number: number;
  title: string;
  state: ModuleState;
}

export interface DiaryEntry {
  id: string;
  moduleNumber: number;
  fromGuide: boolean;
  authorName: string | null;
  body: string;
  createdAt: Date;
}

export interface WebCourseProgress {
  modules: ModuleView[];
  /** The module the parent works on now, with its text; null before the start and after the last. */
  current: { number: number; title: string; paragraphs: string[] } | null;
  /** Every module is signed off (or the case is completed). */
  finished: boolean;
  notes: DiaryEntry[];
  /** Changes whenever the panel would look different: the poll answers 204 while it stays the same. */
  stamp: string;
}

interface ProgressCase {
  id: string;
  courseId: string;
  status: string;
  currentModule: number | null;
}

export function moduleState(number: number, currentModule: number | null, completed: boolean): ModuleState {
  if (completed) return 'done';
  if (currentModule === null) return 'locked';
  return number < currentModule ? 'done' : number === currentModule ? 'current' : 'locked';
}

/** Paragraphs of a module's text: blank lines separate them. */
export function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

export async function loadWebCourseProgress(db: Db, app: ProgressCase): Promise<WebCourseProgress> {
  const [modules, notes] = await Promise.all([
    db.courseModule.findMany({ where: { courseId: app.courseId }, orderBy: { number: 'asc' } }),
    db.diaryNote.findMany({ where: { applicationId: app.id }, orderBy: { createdAt: 'asc' } }),
  ]);
  const authorIds = [...new Set(notes.map((n) => n.authorId))];
  const authors = authorIds.length
    ? await db.person.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true } })
    : [];
  const nameOf = new Map(authors.map((a) => [a.id, a.name]));
  const completed = app.status === 'completed';
  const views = modules.map((m) => ({ number: m.number, title: m.title, state: moduleState(m.number, app.currentModule, completed) }));
  const currentRow = modules.find((m) => views.find((v) => v.number === m.number)?.state === 'current');
  const finished = completed || (app.currentModule !== null && modules.length > 0 && app.currentModule > modules[modules.length - 1].number);
  return {
    modules: views,
    current: currentRow ? { number: currentRow.number, title: currentRow.title, paragraphs: paragraphs(currentRow.body) } : null,
    finished,
    notes: notes.map((n) => ({
      id: n.id,
      moduleNumber: n.moduleNumber,
      fromGuide: n.fromGuide,
      authorName: nameOf.get(n.authorId) ?? null,
      body: n.body,
      createdAt: n.createdAt,
    })),
    stamp: `${app.status}.${app.currentModule ?? 0}.${notes.length}`,
  };
}

/** One module's text for the parent's module page: only modules already open (done or current). */
export async function openModule(db: Db, app: ProgressCase, number: number) {
  const state = moduleState(number, app.currentModule, app.status === 'completed');
  if (state === 'locked') return null;
  const row = await db.courseModule.findUnique({ where: { courseId_number: { courseId: app.courseId, number } } });
  return row ? { number: row.number, title: row.title, paragraphs: paragraphs(row.body), state } : null;
}
