import { execFileSync, spawnSync } from 'node:child_process';
import { repoPath } from './repo-files';

export class MissingToolError extends Error {
  constructor(tool: string, fix: string) {
    super(`${tool} is not available. ${fix}`);
    this.name = MissingToolError.name;
  }
}

const versionOf = (bin: string, args: string[]): string => {
  const result = spawnSync(bin, args, { encoding: 'utf8' });
  return result.status === 0 ? `${result.stdout}${result.stderr}` : '';
};

/**
 * kubectl 1.20 specifically: its built-in kustomize v2.0.3 is the oldest the overlays promise to support, and a
 * newer kubectl would accept syntax that 1.20 rejects. Debian's kubernetes-client is that version; where the
 * Cloud SDK's kubectl owns /usr/bin/kubectl, tools/deploy/install-kubectl.sh unpacks it under .cache/ instead.
 * The install is attempted once, so a fresh machine (or CI) needs no extra step; it fails loudly, never skips.
 */
export function kubectl120(): string {
  const candidates = [process.env['SURGE_KUBECTL'], repoPath('.cache/kubernetes-client/usr/bin/kubectl'), 'kubectl'];
  const found = () => candidates.find((bin) => bin && versionOf(bin, ['version', '--client']).includes('v1.20.'));
  const existing = found();
  if (existing) return existing;
  const install = spawnSync('bash', [repoPath('tools/deploy/install-kubectl.sh')], { encoding: 'utf8' });
  const installed = found();
  if (installed) return installed;
  throw new MissingToolError(
    'kubectl 1.20 (Debian kubernetes-client)',
    `Run: bash tools/deploy/install-kubectl.sh (needs apt-get), or set SURGE_KUBECTL to a kubectl v1.20 binary. ${install.stderr ?? ''}`.trim(),
  );
}

/** promtool from Debian's `prometheus` package (listed in tools/debian-packages.txt). */
export function promtool(): string {
  const bin = process.env['SURGE_PROMTOOL'] ?? 'promtool';
  if (versionOf(bin, ['--version']).includes('promtool')) return bin;
  throw new MissingToolError(
    'promtool',
    'Install it with: apt-get install -y --no-install-recommends prometheus (or set SURGE_PROMTOOL).',
  );
}

export function run(bin: string, args: string[]): string {
  return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 32 * 1024 * 1024 });
}
