// Valid, distinct personnummer for tests that need many applicants (each person's is unique).
let serial = 0;

export function nextPersonnummer(): string {
  // 900 numbers per birth date; a new date for every 900 (a long fault run submits thousands).
  const n = serial++;
  const day = Math.floor(n / 900);
  const birth = `1985${String(1 + (Math.floor(day / 28) % 12)).padStart(2, '0')}${String(1 + (day % 28)).padStart(2, '0')}`;
  const three = String(100 + (n % 900));
  const nine = `${birth.slice(2)}${three}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    let n = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (n > 9) n -= 9;
    sum += n;
  }
  return `${birth}-${three}${(10 - (sum % 10)) % 10}`;
}
