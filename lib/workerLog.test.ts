import { describe, expect, it } from 'vitest';
import { redactLogMeta } from './workerLog';

describe('the worker log', () => {
  it('keeps ids and counts but never an error message, which can repeat personal data', () => {
    const err = Object.assign(new Error('Unique constraint failed on anna@example.org, 19800101-1234'), { code: 'P2002' });
    const meta = redactLogMeta({ activityType: 'sendCaseNotice', workflowId: 'parentApplication-KOM-2026-000001', attempt: 3, error: err, details: { email: 'anna@example.org' } });
    const text = JSON.stringify(meta);
    expect(meta).toMatchObject({ activityType: 'sendCaseNotice', workflowId: 'parentApplication-KOM-2026-000001', attempt: 3, error: 'Error (P2002)' });
    expect(text).not.toContain('anna@example.org');
    expect(text).not.toContain('19800101');
  });
});
