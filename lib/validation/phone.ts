// Phone numbers: Swedish national form (070-123 45 67) or international (+46 70 123 45 67).
// Returns E.164 so SMS providers get one format.
/** +46701234501 → 070-123 45 01 for Swedish mobiles; other numbers as stored. */
export function formatPhone(e164: string): string {
  const m = /^\+46(7\d)(\d{3})(\d{2})(\d{2})$/.exec(e164);
  return m ? `0${m[1]}-${m[2]} ${m[3]} ${m[4]}` : e164;
}

export function parsePhone(raw: string): string | null {
  const compact = raw.replace(/[\s\-()]/g, '');
  if (/^0\d{6,12}$/.test(compact)) return `+46${compact.slice(1)}`;
  if (/^\+\d{7,15}$/.test(compact)) return compact;
  return null;
}
