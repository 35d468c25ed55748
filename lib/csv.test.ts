import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvLine } from './csv';

describe('csv', () => {
  it('defuses formulas and quotes what needs quoting', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('+46701234567')).toBe("'+46701234567");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('sa "hej"')).toBe('"sa ""hej"""');
    expect(csvCell('rad\nrad')).toBe('"rad\nrad"');
    expect(csvLine(['a', 'b c', 'ö'])).toBe('a;b c;ö');
  });

  it('starts a file with the BOM Excel needs for å, ä and ö', () => {
    expect(CSV_BOM).toBe('\uFEFF');
  });
});
