import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/observability/metrics.js';

async function operations(metrics: Metrics): Promise<string[]> {
  const text = await metrics.registry.metrics();
  return [...new Set([...text.matchAll(/^tokengraph_graphql_requests_total\{operation="([^"]*)"/gm)].map((m) => m[1]!))];
}

describe('Metrics', () => {
  it('labels known operations by name, unnamed ones anonymous, and any other name other', async () => {
    const metrics = new Metrics(() => [], ['Mine']);
    metrics.graphqlRequest('Mine', 'success', 0.01);
    metrics.graphqlRequest(null, 'success', 0.01);
    metrics.graphqlRequest('Unknown', 'success', 0.01);
    metrics.graphqlRequest('not a name{}', 'error', 0.01);
    expect((await operations(metrics)).sort()).toEqual(['Mine', 'anonymous', 'other']);
  });

  it('cannot be made to drop a known operation into other, however many other names clients send', async () => {
    const metrics = new Metrics(() => [], ['TokenOverview']);
    for (let i = 0; i < 1000; i++) metrics.graphqlRequest(`Op${i}`, 'success', 0.01);
    metrics.graphqlRequest('TokenOverview', 'success', 0.01);
    expect((await operations(metrics)).sort()).toEqual(['TokenOverview', 'other']);
  });

  it('uses its own registry, so two instances do not collide', async () => {
    const a = new Metrics(() => []);
    const b = new Metrics(() => []);
    a.cacheHit('NETBIRD');
    expect(await a.registry.metrics()).toMatch(/tokengraph_cache_hits_total\{source="NETBIRD"\} 1/);
    expect(await b.registry.metrics()).not.toMatch(/tokengraph_cache_hits_total\{source="NETBIRD"\} 1/);
  });
});
