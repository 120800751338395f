/**
 * Every form a credential may be echoed or stored in: what the secrets tests search responses, log
 * lines and the history's tables for (test/integration/security/secrets.test.ts).
 */
export const ENCODINGS: Record<string, (secret: string) => string> = {
  'as sent': (secret) => secret,
  'percent-encoded': encodeURIComponent,
  'percent-encoded, lower case': (secret) => encodeURIComponent(secret).toLowerCase(),
  'form-encoded': (secret) => new URLSearchParams({ s: secret }).toString().slice(2),
  // A credential sent in a query string unencoded, as read by a form decoder: each `+` a space.
  'form-decoded': (secret) => secret.replace(/\+/g, ' '),
  'upper case': (secret) => secret.toUpperCase(),
  base64: (secret) => Buffer.from(secret).toString('base64'),
  base64url: (secret) => Buffer.from(secret).toString('base64url'),
  'base64 in a Basic header': (secret) => Buffer.from(`user:${secret}`).toString('base64'),
};

/** `secret` in every one of those forms. */
export const encodings = (secret: string): string[] => Object.values(ENCODINGS).map((encode) => encode(secret));
