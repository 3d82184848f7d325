import { bootFailureExitCode } from '@surge/config';
import type { AddressInfo } from 'node:net';
import { AdminApi } from './admin/admin-api';
import { startControlsSync } from './admin/controls-sync';
import { PostgresAdminStore } from './admin/postgres-admin.store';
import { ShopControls } from './admin/shop-controls';
import { AdmissionVerifier } from './admission.verifier';
import { ReservationRepository } from './reservation.repository';
import { loadShopConfig } from './shop.config';
import { ShopServer } from './shop.server';

/** How soon a change made through one copy's admin API reaches the others. */
const ADMIN_SYNC_MS = 1000;

function log(msg: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(
    `${JSON.stringify({ level: 'info', time: Date.now(), name: 'demo-shop', pid: process.pid, msg, ...extra })}\n`,
  );
}

/**
 * One copy of the demo ticket shop. Started by the LocalPool supervisor, it tells its parent its port over IPC
 * once the schema exists; on SIGTERM it stops accepting, lets held requests finish, then closes its pool.
 */
async function main(): Promise<void> {
  const config = loadShopConfig();
  const repository = new ReservationRepository(
    config.PGBOUNCER_URL,
    config.SURGE_SHOP_SCHEMA,
    config.SURGE_SHOP_EVENT_CAPACITY,
    config.SURGE_SHOP_DB_POOL,
  );
  await repository.ensureSchema();
  const verifier = config.SURGE_QUEUE_URL
    ? new AdmissionVerifier(config.SURGE_QUEUE_URL, config.SURGE_QUEUE_ROOM, config.SURGE_QUEUE_AUDIENCE)
    : null;
  const controls = new ShopControls(config.SURGE_SHOP_RATE_LIMIT, undefined, config.SURGE_SHOP_FAULT_ERROR_PERCENT);
  const adminStore = config.SURGE_SHOP_ADMIN_TOKEN
    ? new PostgresAdminStore(config.PGBOUNCER_URL, config.SURGE_SHOP_SCHEMA)
    : null;
  await adminStore?.ensureTables();
  if (adminStore) controls.sync(await adminStore.values());
  const stopSync = adminStore
    ? startControlsSync(adminStore, controls, ADMIN_SYNC_MS, (error) =>
        log(`admin settings sync failed: ${error instanceof Error ? error.message : String(error)}`),
      )
    : () => undefined;
  const admin = adminStore ? new AdminApi(controls, adminStore, config.SURGE_SHOP_ADMIN_TOKEN!) : null;
  const load = {
    slots: config.SURGE_SHOP_SLOTS,
    serviceMs: config.SURGE_SHOP_SERVICE_MS,
    recommendationsMs: config.SURGE_SHOP_RECOMMENDATIONS_MS,
  };
  const shop = new ShopServer({ repository, verifier, workMs: config.SURGE_SHOP_WORK_MS, controls, admin, load });
  await new Promise<void>((resolve) => shop.server.listen(config.PORT, config.HOST, resolve));
  const port = (shop.server.address() as AddressInfo).port;
  log(`demo-shop listening on http://${config.HOST}:${port}`, { port });
  process.send?.({ type: 'ready', port });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const { inflight } = shop.stats();
    stopSync();
    await shop.close();
    await adminStore?.close();
    await repository.close();
    log('demo-shop stopped', { inflightAtStop: inflight });
    process.exit(0);
  };
  // A stop that fails still ends the process, with the reason, rather than leaving it half closed.
  const onSignal = () =>
    void stop().catch((error: unknown) => {
      log(`demo-shop stop failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('disconnect', onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', time: Date.now(), name: 'demo-shop', msg: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(bootFailureExitCode(error));
});
