/** safeText: what an upstream's error text may show a client. */
import { describe, expect, it } from 'vitest';
import { UpstreamCredential } from '../../src/datasources/credential.js';
import { safeText } from '../../src/datasources/upstreamResponse.js';

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
    expect(credential.secrets({ credentials: { games: 'games-forwarded' } })).toEqual(['astra-static', 'netbird-static', 'games-forwarded']);
  });
});
