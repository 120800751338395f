import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/metrics.js';

async function operations(metrics: Metrics): Promise<string[]> {
  const text = await metrics.registry.metrics();
  return [...text.matchAll(/^tokengraph_graphql_requests_total\{operation="([^"]*)"/gm)].map((m) => m[1]!);
}

describe('Metrics', () => {
  it('labels operations by name, anonymous, or other for names that are not plain GraphQL names', async () => {
    const metrics = new Metrics(() => []);
    metrics.graphqlRequest('Mine', 'success', 0.01);
    metrics.graphqlRequest(null, 'success', 0.01);
    metrics.graphqlRequest('not a name{}', 'error', 0.01);
    expect((await operations(metrics)).sort()).toEqual(['Mine', 'anonymous', 'other']);
  });

  it('keeps at most 100 distinct operation names; the rest count as other', async () => {
    const metrics = new Metrics(() => []);
    for (let i = 0; i < 150; i++) metrics.graphqlRequest(`Op${i}`, 'success', 0.01);
    const names = await operations(metrics);
    expect(names).toHaveLength(101);
    expect(names).toContain('Op99');
    expect(names).not.toContain('Op100');
    expect(names).toContain('other');
  });

  it('uses its own registry, so two instances do not collide', async () => {
    const a = new Metrics(() => []);
    const b = new Metrics(() => []);
    a.cacheHit('NETBIRD');
    expect(await a.registry.metrics()).toMatch(/tokengraph_cache_hits_total\{source="NETBIRD"\} 1/);
    expect(await b.registry.metrics()).not.toMatch(/tokengraph_cache_hits_total\{source="NETBIRD"\} 1/);
  });
});
