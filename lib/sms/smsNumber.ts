// Which numbers an SMS can go to. Swedish numbers must be mobiles (07x… → +467x…); a landline
// would only make the provider refuse the message. Foreign numbers go as given, in E.164.
import { parsePhone } from '../validation/phone';

export function smsNumber(raw: string | null | undefined): string | null {
  if (!raw) return null;
  // parsePhone reads a leading 0 as the Swedish trunk prefix; the international 00 prefix comes first.
  const international = raw.trim().replace(/^00/, '+');
  const e164 = parsePhone(international);
  if (!e164) return null;
  if (e164.startsWith('+46')) return /^\+467\d{8}$/.test(e164) ? e164 : null;
  return e164;
}
