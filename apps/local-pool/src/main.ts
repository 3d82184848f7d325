import { bootFailureExitCode } from '@surge/config';
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
  // The copies of the shop inherit this process's environment (their database, their queue).
  const pool = await startLocalPool(config, process.env);
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
  // A stop that fails still ends the process, with the reason, rather than leaving copies half drained.
  const onSignal = () =>
    void stop().catch((error: unknown) => {
      logger.error(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', time: Date.now(), name: 'local-pool', msg: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(bootFailureExitCode(error));
});
