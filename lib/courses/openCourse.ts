// Opening a course (R2.5): it becomes open for applications and its seats go to the district's
// queue in queue order, through a durable workflow so no seat is forgotten if a process stops.
import type { Client } from '@temporalio/client';
import { startWorkflowOnce } from '../temporal';
import type { Db } from '../db';
import { COURSE_OPENING, courseOpeningWorkflowId } from '../../workflows/courseOpening.messages';

interface OpenCourseDeps {
  db: Db;
  temporal: Client;
  config: { TEMPORAL_TASK_QUEUE: string };
}

/** Opens the course and offers its free seats to the queue; a second call while one runs is the same run. */
export async function openCourse(deps: OpenCourseDeps, courseId: string): Promise<void> {
  await deps.db.course.update({ where: { id: courseId }, data: { status: 'open' } });
  await startWorkflowOnce(deps.temporal, COURSE_OPENING, {
    workflowId: courseOpeningWorkflowId(courseId),
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    args: [{ courseId }],
  });
}
