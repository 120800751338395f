import { describe, expect, it } from 'vitest';
import { overviewHtml } from '../../../src/http/overviewPage.js';

const configOf = (html: string) => JSON.parse(/<script type="application\/json" id="tokengraph-config">(.*?)<\/script>/s.exec(html)![1]!);

describe('the overview page', () => {
  it('opens in demo mode with the demo tokens on its watch list (the listed Crafter access tokens aside)', () => {
    const config = configOf(overviewHtml({ demo: true, endpoint: '/graphql' }));
    expect(config.demo).toBe(true);
    expect(config.defaultWatch).toContainEqual({ source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' });
    expect(config.defaultWatch).toContainEqual({ source: 'GAME', tokenId: 'game-demo-1' });
    expect(config.defaultWatch.filter((ref: { source: string }) => ref.source === 'CRAFTER_ACCESS_TOKEN')).toEqual([]);
  });

  it('cannot be broken out of its configuration script', () => {
    const html = overviewHtml({ demo: false, endpoint: '/graphql</script><script>alert(1)//' });
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(configOf(html).endpoint).toBe('/graphql</script><script>alert(1)//');
  });
});
