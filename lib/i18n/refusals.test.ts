import { describe, expect, it } from 'vitest';
import { REFUSALS } from '../../rules/refusals';
import { translator } from '.';

describe('refusal messages', () => {
  it('say why and what to do instead for every refusal code, in Swedish and English', () => {
    for (const lang of ['sv', 'en'] as const) {
      const t = translator(lang);
      for (const code of REFUSALS) expect(t(`refusals.${code}`), `${lang}: ${code}`).not.toBe(`refusals.${code}`);
    }
  });
});
