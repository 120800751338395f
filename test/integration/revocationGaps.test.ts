/**
 * Gaps are grouped by (source, code) (contract §7), the gap of unknown revocations too: when the
 * shared tombstones cannot be read and a source's part failed with UPSTREAM_UNAVAILABLE, that
 * source has ONE UPSTREAM_UNAVAILABLE gap counting both, and tokengraph_inventory_gaps says the
 * same count (a second gap of the same labels would overwrite the first). The inventory over the
 * loopback upstreams, with tombstones that cannot say what other replicas revoked.
 */
import { afterEach, expect, it } from 'vitest';
import { createMemoryTombstones } from '../../src/cache/createMemoryTombstones.js';
import type { Tombstones } from '../../src/cache/tombstones.js';
import { readConfig, type InventoryConfig } from '../../src/config/readConfig.js';
import { createDataSources, type DataSources } from '../../src/datasources/createDataSources.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_CREDENTIALS, DEMO_WATCH } from '../../src/demo/demoData.js';
import { startDemoUpstreams, type DemoUpstreams } from '../../src/demo/startDemoUpstreams.js';
import { createInventory, type Inventory } from '../../src/inventory/createInventory.js';
import { createInventoryMetrics } from '../../src/monitoring/inventoryMetrics.js';
import { UPSTREAM_NAMES, type TokenKey } from '../../src/sources.js';
import { testConfig, testSource } from '../harness.js';

const SETTINGS: InventoryConfig = { ...readConfig({}).inventory, watch: DEMO_WATCH as TokenKey[], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS] };

let upstreams: DemoUpstreams | undefined;
let dataSources: DataSources | undefined;
let inventory: Inventory | undefined;
afterEach(async () => {
  inventory?.close();
  await dataSources?.close();
  await upstreams?.close();
});

it('with a failing part and unknown revocations, each (source, code) is one gap, its count summed, and the gauge says that count', async () => {
  upstreams = await startDemoUpstreams();
  const config = testConfig({ inventory: SETTINGS });
  for (const name of UPSTREAM_NAMES) config.upstreams[name] = testSource(upstreams[name].baseUrl, DEMO_CREDENTIALS[name]);
  dataSources = createDataSources(config);
  // The shared store does not answer: what other replicas revoked is unknown.
  const tombstones: Tombstones = { ...createMemoryTombstones(), revokedBetween: async () => ({ tokens: new Set(), known: false }) };
  inventory = createInventory({ dataSources, settings: SETTINGS, deadlineMs: 10_000, tombstones });
  upstreams.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.path === '/api/users/svc-ci/tokens' });

  const view = await inventory.view({});
  const { gaps } = view.snapshot;
  const labels = gaps.map((gap) => `${gap.source} ${gap.code}`);
  expect(labels).toEqual([...new Set(labels)]);
  const netbird = gaps.filter((gap) => gap.source === 'NETBIRD' && gap.code === 'UPSTREAM_UNAVAILABLE');
  expect(netbird).toEqual([
    {
      source: 'NETBIRD',
      code: 'UPSTREAM_UNAVAILABLE',
      count: 2,
      scopes: ['user svc-ci', 'revoked tokens'],
      message: expect.stringMatching(/revoked through other replicas/),
    },
  ]);
  // Every other source that was read still says its revocations are unknown, once.
  for (const source of ['CRAFTER_ACCESS_TOKEN', 'ASTRA', 'GAME']) {
    expect(gaps.filter((gap) => gap.source === source)).toEqual([{ source, code: 'UPSTREAM_UNAVAILABLE', count: 1, scopes: ['revoked tokens'], message: expect.stringMatching(/revoked through other replicas/) }]);
  }

  const metrics = createInventoryMetrics({ maxSeries: 10_000, refreshS: 1, sources: ['CRAFTER_ACCESS_TOKEN', 'ASTRA', 'NETBIRD', 'GAME'], findings: SETTINGS.findings });
  metrics.update(view, 0.1);
  const gauge = (await metrics.text()).split('\n').filter((line) => line.startsWith('tokengraph_inventory_gaps{'));
  expect(gauge).toContainEqual('tokengraph_inventory_gaps{source="NETBIRD",code="UPSTREAM_UNAVAILABLE"} 2');
  expect(gauge.sort()).toEqual(gaps.map((gap) => `tokengraph_inventory_gaps{source="${gap.source}",code="${gap.code}"} ${gap.count}`).sort());
}, 30_000);
