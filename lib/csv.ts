// CSV for Swedish Excel, one way for every export: BOM, `;` between cells, CRLF between lines,
// and a guard against formula injection.

/** The file's first bytes: a UTF-8 BOM, so Excel reads å, ä and ö right. */
export const CSV_BOM = '\uFEFF';

export function csvLine(cells: string[]): string {
  return cells.map(csvCell).join(';');
}

/**
 * One cell: a leading ' defuses formulas (CSV injection: = + - @ tab CR start a formula in
 * spreadsheets); quotes are doubled and the cell quoted when it holds ; " or a line break.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
