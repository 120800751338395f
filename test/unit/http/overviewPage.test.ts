import { describe, expect, it } from 'vitest';
import { overviewHtml } from '../../../src/http/overviewPage.js';
import { SOURCES } from '../../../src/sources.js';
import { schemaEnum } from '../../schemaEnum.js';

const configOf = (html: string) => JSON.parse(/<script type="application\/json" id="tokengraph-config">(.*?)<\/script>/s.exec(html)![1]!);

describe('the overview page', () => {
  it('opens with no watch list of its own in demo mode too: the server watches the demo tickets and game tokens', () => {
    const config = configOf(overviewHtml({ demo: true, endpoint: '/graphql' }));
    expect(config).toEqual({ endpoint: '/graphql', demo: true, defaultWatch: [] });
  });

  it('offers a filter for every source and status, "expiring within" and a search', () => {
    const html = overviewHtml({ demo: false, endpoint: '/graphql' });
    const boxes = (name: string) => [...html.matchAll(new RegExp(`<input type="checkbox" name="${name}" value="([A-Z_]+)"> ([^<]+)</label>`, 'g'))].map((m) => [m[1], m[2]]);
    expect(boxes('source')).toEqual(SOURCES.map((row) => [row.name, row.label]));
    expect(boxes('status')).toEqual([
      ['ACTIVE', 'ACTIVE'],
      ['EXPIRED', 'EXPIRED'],
      ['NEVER_EXPIRES', 'NEVER_EXPIRES'],
      ['UNKNOWN', 'UNKNOWN'],
    ]);
    // The statuses are the schema's, in its order.
    expect(boxes('status').map(([status]) => status)).toEqual(schemaEnum('TokenStatus'));
    expect(html).toContain('<input id="within" name="within" type="number" min="0" max="3650"');
    expect(html).toContain('<input id="q" name="q" type="search" maxlength="256"');
    expect(html).toContain('<button id="load-more" type="button" hidden>Load more</button>');
  });

  it('has a Recent changes section: a checkbox per event kind, its table and "Load more changes"', () => {
    const html = overviewHtml({ demo: false, endpoint: '/graphql' });
    const kinds = [...html.matchAll(/<input type="checkbox" name="kind" value="([A-Z_]+)">/g)].map((m) => m[1]);
    expect(kinds).toEqual(['APPEARED', 'DISAPPEARED', 'CHANGED', 'EXPIRED', 'REVOKED']);
    expect(html).toContain('<h2 id="changes-title">Recent changes</h2>');
    expect(html).toContain('<thead><tr><th>Time</th><th>Kind</th><th>Source</th><th>Token</th><th>Owner</th><th>Detail</th><th>Actor</th></tr></thead>');
    expect(html).toContain('<button id="changes-more" type="button" hidden>Load more changes</button>');
    // The kinds are the schema's, in its order.
    expect(kinds).toEqual(schemaEnum('TokenEventKind'));
  });

  it('offers no Crafter access token in the watch form: they are all listed, and one would be typed in', () => {
    const html = overviewHtml({ demo: false, endpoint: '/graphql' });
    const options = [...html.matchAll(/<option value="([A-Z_]+)">/g)].map((m) => m[1]);
    expect(options).toEqual(['CRAFTER_TICKET', 'GAME', 'ASTRA', 'NETBIRD']);
    expect(html).toContain('a watched ticket stays in this page only while it is open');
  });

  it('says which sources are listed and which only watched', () => {
    const html = overviewHtml({ demo: false, endpoint: '/graphql' });
    expect(html).toContain('Listed automatically: Crafter access token, Astra Control and NetBird.');
    expect(html).toContain('The other sources (Crafter ticket, Games) cannot be listed upstream');
    expect(html).toContain('<code>TOKENGRAPH_WATCH</code>');
  });

  it('has a Revoke dialog that asks for a Crafter access token\'s full id in a password field, with no inline script or style', () => {
    const html = overviewHtml({ demo: false, endpoint: '/graphql' });
    expect(html).toContain('<dialog id="revoke-dialog" aria-labelledby="revoke-title">');
    expect(html).toContain('<label>Full token id <input id="revoke-full-id" type="password" required autocomplete="off"');
    expect(html).toContain('<th>Action</th>');
    expect(html).not.toMatch(/ style=|<style|onclick=|javascript:/i);
    expect(html).not.toContain('restored when tokengraph restarts');
    expect(overviewHtml({ demo: true, endpoint: '/graphql' })).toContain('In demo mode this revokes demo data, restored when tokengraph restarts.');
  });

  it('cannot be broken out of its configuration script', () => {
    const html = overviewHtml({ demo: false, endpoint: '/graphql</script><script>alert(1)//' });
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(configOf(html).endpoint).toBe('/graphql</script><script>alert(1)//');
  });
});
