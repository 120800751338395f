/**
 * The background refresh (TOKENGRAPH_INVENTORY_REFRESH_S): reads the inventory with tokengraph's
 * own credentials every period and hands each snapshot to the inventory metrics. A refresh never
 * overlaps the last one (the next is scheduled when it ends); `stop` (at SIGTERM) cancels the next,
 * and the one in flight ends as its reads are stopped. With Redis, one replica reads per period (a
 * lease) and the others take its snapshot (inventory/createInventory.ts), so replicas share the
 * work and export the same series. It never reads a token whose read extends its life (Crafter
 * tickets): tokengraph does not keep sessions alive.
 */
import type { Inventory } from '../inventory/createInventory.js';
import type { Logger } from '../observability/createLogger.js';
import type { InventoryMetrics } from './inventoryMetrics.js';

export interface InventoryRefresh {
  /** Resolves when the refresh in flight, if any, has ended. */
  stop(): Promise<void>;
}

export function startInventoryRefresh(parts: { inventory: Inventory; metrics: InventoryMetrics; periodS: number; logger: Logger }): InventoryRefresh {
  const periodMs = parts.periodS * 1000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const refresh = async () => {
    const started = performance.now();
    try {
      const view = await parts.inventory.view({ maxAgeMs: periodMs, background: true });
      const seconds = (performance.now() - started) / 1000;
      parts.metrics.update(view, seconds);
      const gaps = view.snapshot.gaps.reduce((sum, gap) => sum + gap.count, 0);
      parts.logger.info({ tokens: view.snapshot.tokens.length, gaps, durationMs: Math.round(seconds * 1000), collectedAt: new Date(view.snapshot.collectedAt).toISOString() }, 'inventory refreshed');
    } catch (error) {
      if (!stopped) parts.logger.warn({ err: error }, 'inventory refresh failed; the metrics keep the last snapshot');
    } finally {
      if (!stopped) timer = setTimeout(tick, periodMs);
    }
  };
  const tick = () => {
    running = refresh();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
