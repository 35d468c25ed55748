// Form bodies as plain strings: a missing or file field becomes "".
export function formValues<K extends string>(body: Record<string, unknown>, names: readonly K[]): Record<K, string> {
  return Object.fromEntries(names.map((n) => [n, typeof body[n] === 'string' ? (body[n] as string) : ''])) as Record<K, string>;
}

/** The `?klart=` confirmation code, if it is one the page knows; a crafted value shows nothing. */
export function flashCode<K extends string>(value: string | undefined, known: readonly K[]): K | undefined {
  return known.find((k) => k === value);
}
