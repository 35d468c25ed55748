// The web-course panel's data (R4, R5.3–R5.4), for the case page in "Mina ärenden" and for the
// panel's own fragment: one builder, so the page and the poll always show the same thing.
import { isApplicationStatus, isClosedStatus } from '../../rules/caseStatus';
import type { Db } from '../../lib/db';
import { DIARY_MAX } from '../../lib/webCourse/diary';
import { loadWebCourseProgress, type WebCourseProgress } from '../../lib/webCourse/progress';

/** The parent follows the course once admitted, and keeps the diary to read after completing it. */
/** The course's panel shows while the parent takes part, and after they completed it. */
const inPanel = (status: string) => status === 'admitted' || status === 'completed';

export interface PanelCase {
  id: string;
  caseNumber: string;
  kind: string;
  status: string;
  courseId: string;
  currentModule: number | null;
}

export interface WebCoursePanel extends WebCourseProgress {
  caseNumber: string;
  status: string;
  /** The diary form is shown: admitted and working on a module. */
  canWrite: boolean;
  diaryMax: number;
  pollSeconds: number;
  values?: { body?: string };
  errors?: Record<string, string>;
  saved?: boolean;
  /** A translation key shown above the panel's content, e.g. why nothing was stored. */
  notice?: string;
  /** A poll keeps the form the parent may be typing in (hx-preserve); a post replaces it. */
  preserveForm?: boolean;
}

export const PANEL_CASE_SELECT = { id: true, caseNumber: true, kind: true, status: true, courseId: true, currentModule: true } as const;

export async function panelFor(db: Db, app: PanelCase): Promise<WebCoursePanel | null> {
  if (app.kind !== 'webCourse' || !inPanel(app.status)) return null;
  const progress = await loadWebCourseProgress(db, app);
  return {
    ...progress,
    caseNumber: app.caseNumber,
    status: app.status,
    canWrite: app.status === 'admitted' && progress.current !== null,
    diaryMax: DIARY_MAX,
    // A sign-off should show within seconds while the course runs (R5.4).
    pollSeconds: app.status === 'admitted' ? 5 : 30,
  };
}

/** Before the decision: an empty placeholder that polls, so admission brings the panel without a reload. */
const waitingForSeat = (status: string) => isApplicationStatus(status) && !isClosedStatus(status) && status !== 'admitted';

export interface WaitingPanel {
  caseNumber: string;
  waiting: true;
  stamp: string;
  pollSeconds: number;
}

export function waitingPanelFor(app: PanelCase): WaitingPanel | null {
  if (app.kind !== 'webCourse' || !waitingForSeat(app.status)) return null;
  return { caseNumber: app.caseNumber, waiting: true, stamp: `waiting.${app.status}`, pollSeconds: 5 };
}

/** For the case page: the panel, its placeholder while the decision is awaited, or null. */
export async function loadWebCoursePanel(db: Db, caseNumber: string): Promise<WebCoursePanel | WaitingPanel | null> {
  const app = await db.application.findUnique({ where: { caseNumber }, select: PANEL_CASE_SELECT });
  return app ? ((await panelFor(db, app)) ?? waitingPanelFor(app)) : null;
}
