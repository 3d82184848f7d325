import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigurationError } from '@surge/config';

/** The console's directory: configured, or found from this file both in the source tree and under dist/. */
export function consoleDirectory(configured: string | undefined): string {
  if (configured) {
    const dir = path.resolve(configured);
    if (!existsSync(path.join(dir, 'index.html')))
      throw new ConfigurationError(`SURGE_CONSOLE_DIR ${dir} holds no index.html`);
    return dir;
  }
  const candidates = [
    path.resolve(__dirname, '../../../console/public'),
    path.resolve(__dirname, '../../../../apps/console/public'),
    path.resolve('apps/console/public'),
  ];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
  if (!found)
    throw new ConfigurationError(`console files not found; looked in ${candidates.join(', ')} (set SURGE_CONSOLE_DIR)`);
  return found;
}

/** Serves the console at / and uPlot, straight from node_modules, at /vendor/uplot/: no build step. */
export function serveConsole(app: NestFastifyApplication, configured: string | undefined): void {
  app.useStaticAssets({ root: consoleDirectory(configured), prefix: '/', index: ['index.html'] });
  const uplotDist = path.join(path.dirname(require.resolve('uplot/package.json')), 'dist');
  app.useStaticAssets({ root: uplotDist, prefix: '/vendor/uplot/', decorateReply: false });
}
