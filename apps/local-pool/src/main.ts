import { Logger } from '@nestjs/common';
import { loadLocalPoolConfig } from './config/local-pool.config';
import { startLocalPool } from './local-pool.app';

/**
 * The LocalPool target: N copies of the demo shop behind one round-robin proxy, resized through its admin API by
 * the LocalPool executor. On SIGTERM every copy is drained before the process exits.
 */
async function main(): Promise<void> {
  const logger = new Logger('LocalPool');
  const config = loadLocalPoolConfig();
  const pool = await startLocalPool(config);
  logger.log(
    `shop proxy on ${pool.proxyUrl}, pool admin on ${pool.adminUrl}, ${pool.supervisor.readyCount()} copies ready`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    logger.log('stopping: draining every copy');
    await pool.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', time: Date.now(), name: 'local-pool', msg: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});
