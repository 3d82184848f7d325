import fs from 'node:fs';
import http from 'node:http';

/**
 * True when a Docker engine answers /_ping within timeoutMs. Checked before loading testcontainers, whose own
 * discovery takes seconds to give up on a machine without Docker. SURGE_HARNESS_DOCKER=0 skips Docker entirely.
 */
export async function dockerAnswers(timeoutMs = 1_000): Promise<boolean> {
  if (process.env.SURGE_HARNESS_DOCKER === '0') return false;
  const host = process.env.DOCKER_HOST;
  const target: http.RequestOptions = host?.startsWith('tcp://')
    ? {
        host: new URL(host.replace('tcp://', 'http://')).hostname,
        port: Number(new URL(host.replace('tcp://', 'http://')).port) || 2375,
      }
    : { socketPath: host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock' };
  if (target.socketPath && !fs.existsSync(target.socketPath)) return false;
  return new Promise((resolve) => {
    const request = http.get({ ...target, path: '/_ping', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}
