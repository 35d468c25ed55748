// The one visibility rule for material, per kind of course (R2.7, R5.4, R7.3).
import { describe, expect, it } from 'vitest';
import { materialVisibleTo } from './visibility';

const now = new Date('2026-12-01T12:00:00Z');
const reader = (kind: 'groupCourse' | 'webCourse' | 'training', status: 'admitted' | 'queued' = 'admitted') =>
  ({ courseId: 'c', kind, status, currentModule: 2 }) as const;

describe('material visibility', () => {
  it('shows nothing to a case that is not admitted', () => {
    expect(materialVisibleTo(reader('training', 'queued'), now)).toBeNull();
  });

  it('opens a training’s preparatory material (no session) on admission, session material with its session', () => {
    expect(materialVisibleTo(reader('training'), now)).toEqual({
      courseId: 'c',
      OR: [{ sessionId: null }, { session: { startsAt: { lte: now } } }],
    });
  });

  it('opens a web course’s modules up to the current one', () => {
    expect(materialVisibleTo(reader('webCourse'), now)).toEqual({
      courseId: 'c',
      OR: [{ moduleNumber: null }, { moduleNumber: { lte: 2 } }],
    });
  });
});
