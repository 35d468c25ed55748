// The SMS adapter's two kinds of failure: the caller retries one and gives up on the other.

/** The provider could not take the message now (network, 5xx, 429, credentials): retrying may succeed. */
export class SmsDeliveryError extends Error {
  override name = 'SmsDeliveryError';
}

/** The provider refused this message for good (bad number, too long): retrying never succeeds. */
export class SmsRejectedError extends Error {
  override name = 'SmsRejectedError';
}
