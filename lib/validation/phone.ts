// Phone numbers: Swedish national form (070-123 45 67) or international (+46 70 123 45 67).
// Returns E.164 so SMS providers get one format.
export function parsePhone(raw: string): string | null {
  const compact = raw.replace(/[\s\-()]/g, '');
  if (/^0\d{6,12}$/.test(compact)) return `+46${compact.slice(1)}`;
  if (/^\+\d{7,15}$/.test(compact)) return compact;
  return null;
}
