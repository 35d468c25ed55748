// The courseOpening workflow's name and id, shared with its callers.
export const COURSE_OPENING = 'courseOpening';

/** One run per course at a time: a double click on "open" starts it once. */
export function courseOpeningWorkflowId(courseId: string): string {
  return `${COURSE_OPENING}-${courseId}`;
}
