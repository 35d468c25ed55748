// Valid, distinct personnummer for tests that need many applicants (each person's is unique).
let serial = 0;

export function nextPersonnummer(): string {
  const birth = '19850505';
  const three = String(100 + (serial++ % 900));
  const nine = `${birth.slice(2)}${three}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    let n = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (n > 9) n -= 9;
    sum += n;
  }
  return `${birth}-${three}${(10 - (sum % 10)) % 10}`;
}
