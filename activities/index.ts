// createActivities(deps): every side effect a workflow may cause. Workflows import the type only.
import type { Db } from '../lib/db';
import type { Mailer } from '../lib/mail/mailer';
import { createCaseNoticeActivities } from './caseNotices';
import { createDecisionActivities } from './decisions';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCaseNoticeActivities(deps),
    ...createDecisionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
