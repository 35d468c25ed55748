// createActivities(deps): every side effect a workflow may cause. Workflows import the type only.
import type { Deps } from '../lib/deps';
import { createCaseNoticeActivities } from './caseNotices';
import { createDecisionActivities } from './decisions';

export type ActivityDeps = Pick<Deps, 'db' | 'mailer' | 'sms' | 'config'>;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCaseNoticeActivities(deps),
    ...createDecisionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
