import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoPath } from './repo-files';

/** A port computed from another: `8080 + offset`, `basePort + i`, `port + 1`. */
const ARITHMETIC = [
  /\b(?:port|ports\[[^\]]+\]|PORT|[A-Z0-9_]+_PORT|[a-z]\w*Port)\s*[+-]\s*[\w(]/,
  /\b\d{4,5}\s*\+\s*\w*(?:offset|Offset|OFFSET|base|Base|BASE)/,
  /\b(?:offset|Offset|OFFSET|base|Base|BASE)\w*\s*\+\s*\d{4,5}\b/,
  /PORT_OFFSET/,
];

/** A port written down: `PORT: '8080'`, `port = 3000`, `listen(8080`. Port 0 asks the kernel and is fine. */
const LITERAL = [/\b(?:port|PORT)\s*[:=]\s*(?:String\()?['"`]?[1-9]\d{2,4}\b/, /\blisten\(\s*[1-9]\d{2,4}\b/];

/** Ports of the ephemeral range (Linux: 32768-60999), where outgoing connections take their local port. */
const EPHEMERAL = /\b(?:3276[89]|327[7-9]\d|32[89]\d\d|3[3-9]\d{3}|[45]\d{4}|60\d{3})\b/;
const ABOUT_PORTS = /port|PORT|Port|127\.0\.0\.1|localhost/;

/** Tests and the code that starts processes for them: these must take free ports, from the kernel. */
const isChecked = (file: string) =>
  /\.(int-spec|e2e-spec)\.ts$/.test(file) ||
  file.split('/').includes('testing') ||
  file.startsWith('libs/harness/src/') ||
  file.startsWith('tools/chaos/') ||
  file.startsWith('tools/fuzz/') ||
  file.startsWith('bench/');

/**
 * Every line of a test or harness file that picks a port itself instead of asking the kernel (the harness's
 * `freePort()`, or listening on port 0), as `file:line`. A fixed port, or one at a fixed offset, collides with
 * another run side by side or, inside the ephemeral range, with any outgoing connection of a busy machine.
 */
export function fixedPorts(file: string, text: string): string[] {
  if (!isChecked(file)) return [];
  return text.split('\n').flatMap((line, index) => {
    const code = line.replace(/^\s*(?:\/\/|\*).*$/, '');
    const fixed =
      ARITHMETIC.some((pattern) => pattern.test(code)) ||
      LITERAL.some((pattern) => pattern.test(code)) ||
      (EPHEMERAL.test(code) && ABOUT_PORTS.test(code));
    return fixed ? [`${file}:${index + 1}: ${line.trim()}`] : [];
  });
}

/** Every `.ts` file the check covers, relative to the repository root. */
export function portCheckedSources(): string[] {
  return ['apps', 'libs', 'tools', 'bench'].flatMap((root) =>
    readdirSync(repoPath(root), { recursive: true, encoding: 'utf8' })
      .map((file) => `${root}/${file.split(path.sep).join('/')}`)
      .filter((file) => file.endsWith('.ts') && !file.includes('node_modules') && isChecked(file)),
  );
}

export function fixedPortsInRepo(): string[] {
  return portCheckedSources().flatMap((file) => fixedPorts(file, readFileSync(repoPath(file), 'utf8')));
}
