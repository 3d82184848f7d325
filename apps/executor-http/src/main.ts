import { ExecutorRegistry, loadExecutorConfig, loadExecutorTargets, runExecutorApp } from '@surge/executor-framework';
import { exitOnBootFailure } from '@surge/service-kit';
import { HttpEndpointAdapter } from './http-endpoint.adapter';
import { loadHttpExecutorConfig } from './http-executor.config';
import { resolveHttpEndpoints } from './http-targets.boot-check';

const APP = 'executor-http';
const PORT = 8088;

/**
 * The HttpEndpoint targets are checked before the shared executor app starts (it reads the targets file again):
 * a base URL off the allowlist or a placeholder token must stop the boot, not the first decision.
 */
function bootAdapter(): HttpEndpointAdapter {
  const http = loadHttpExecutorConfig();
  const targets = loadExecutorTargets(loadExecutorConfig(APP, PORT));
  const baseUrls = resolveHttpEndpoints(targets, http.SURGE_HTTP_ALLOWED_BASE_URLS, process.env);
  return new HttpEndpointAdapter({ baseUrls, timeoutMs: http.SURGE_HTTP_TIMEOUT_MS });
}

let adapter: HttpEndpointAdapter;
try {
  adapter = bootAdapter();
} catch (error) {
  exitOnBootFailure(error);
}
runExecutorApp(APP, PORT, () => new ExecutorRegistry().register(adapter)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
