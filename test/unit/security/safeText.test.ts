/** safeText: what an upstream's error text may show a client. */
import { describe, expect, it } from 'vitest';
import { UpstreamCredential } from '../../../src/datasources/upstreamCredential.js';
import { safeText } from '../../../src/security/safeText.js';

describe('safeText', () => {
  it.each([
    ['No access token found for ID s3cr3t-id', ['s3cr3t-id'], 'No access token found for ID [redacted]'],
    ['a and b', ['a and b', 'b'], '[redacted]'],
    ['failed GET http://crafter:8080/api/1/ticket/x?accessTokenId=abc&x=1 (500)', [], 'failed GET http://crafter:8080/api/1/ticket/x (500)'],
    ['see https://astra.example/docs#section', [], 'see https://astra.example/docs'],
    ['"http://h/p?q=1"', [], '"http://h/p"'],
    ['no url ? here # either', [], 'no url ? here # either'],
  ])('%j with secrets %j → %j', (text, secrets, expected) => {
    expect(safeText(text, secrets)).toBe(expected);
  });

  const secret = 'astra+SECRET/tok==';
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  it.each([
    ['as sent', secret],
    ['percent-encoded', 'astra%2BSECRET%2Ftok%3D%3D'],
    ['percent-encoded, lower-case hex', 'astra%2bSECRET%2ftok%3d%3d'],
    ['form-encoded', new URLSearchParams({ t: secret }).toString().slice(2)],
    ['form-decoded (each + read as a space, as a query string sent unencoded is read)', 'astra SECRET/tok=='],
    ['form-decoded, then percent-encoded', 'astra%20SECRET%2Ftok%3D%3D'],
    ['form-decoded, in another case', 'ASTRA secret/TOK=='],
    ['form-decoded, in base64', base64('astra SECRET/tok==')],
    ['in another case', secret.toUpperCase()],
    ['JSON-escaped', 'astra+SECRET\\/tok=='],
    ['base64', base64(secret)],
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['base64 at the second byte of a Basic header', base64(`u:${secret}`)],
    ['base64 at the third byte', base64(`us:${secret}`)],
    ['base64 at the first byte, more after it', base64(`use:${secret}!!`)],
  ])('cuts the credential echoed %s', (_, echoed) => {
    const text = safeText(`token ${echoed} is not valid`, [secret, 'another-secret']);
    expect(text).toBe('token [redacted] is not valid');
  });

  it('cuts a secret as a form decoder reads it: `%XX` decoded too, and `&` kept inside the value', () => {
    const secrets = ['pass%41word+0123&x=y', 'another-secret'];
    expect(safeText('sent passAword 0123&x=y back', secrets)).toBe('sent [redacted] back');
    // What is not an echo of a whole secret stays: a decoder's split at `&` is no form of it.
    expect(safeText('sent passAword 0123 back', secrets)).toBe('sent passAword 0123 back');
  });

  it.each([
    ['a relative path', 'No handler found for GET /crafter-profile/api/1/access_token/all?accessTokenId=e8f5170c-877b&x=1', 'No handler found for GET /crafter-profile/api/1/access_token/all'],
    ['a bare query string', 'bad request ?accessTokenId=e8f5170c&tenant=x for it', 'bad request  for it'],
    ['a parameter after &', 'sent tenant=a&accessTokenId=e8f5170c', 'sent tenant=a'],
  ])('cuts the query string of %s', (_, text, expected) => {
    expect(safeText(text, [])).toBe(expected);
  });

  it('bounds what it shows, and never shows part of a credential cut at a bound', () => {
    const secret = 'S3CRET-0123456789abcdef';
    for (let pad = 4000; pad < 4200; pad += 7) {
      const text = safeText(`${'x'.repeat(pad)}${secret} and more`, [secret])!;
      expect(text.length).toBeLessThanOrEqual(501);
      expect(text).not.toMatch(/S3C/);
    }
    expect(safeText(`${secret} `.repeat(400), [secret])).toBe(`${'[redacted] '.repeat(45)}[reda…`);
  });
});

describe('UpstreamCredential', () => {
  it('sends the static credential when forwarding is off, whatever the request carries', () => {
    const credential = new UpstreamCredential('netbird', { credential: 'static' });
    expect(credential.for('NETBIRD', { credentials: { netbird: 'forwarded' } })).toBe('static');
  });

  it('sends only the forwarded credential when forwarding is on, and never falls back', () => {
    const credential = new UpstreamCredential('netbird', { forwardHeader: 'x-netbird-token' }, ['other-static']);
    expect(credential.for('NETBIRD', { credentials: { netbird: 'forwarded' } })).toBe('forwarded');
    expect(() => credential.for('NETBIRD', { credentials: { astra: 'not-mine' } })).toThrowError(/in the x-netbird-token request header/);
  });

  it('scrubs every known credential: all static ones and the request\'s forwarded ones', () => {
    const credential = new UpstreamCredential('astra', { credential: 'astra-static' }, ['astra-static', 'netbird-static']);
    const text = 'echoed astra-static, netbird-static and games-forwarded';
    expect(credential.scrub({ credentials: { games: 'games-forwarded' } })(text)).toBe('echoed [redacted], [redacted] and [redacted]');
    // Without forwarded credentials, the static ones' scrub (built once) still cuts them all.
    expect(credential.scrub({})(text)).toBe('echoed [redacted], [redacted] and games-forwarded');
    expect(credential.scrub({})).toBe(credential.scrub({ credentials: {} }));
  });
});
