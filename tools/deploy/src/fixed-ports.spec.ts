import { describe, expect, it } from 'vitest';
import { fixedPorts, fixedPortsInRepo, portCheckedSources } from './fixed-ports.check';

describe('tests and the harness take free ports, never fixed ones or fixed offsets', () => {
  it('finds the test and harness sources to check', () => {
    expect(portCheckedSources().length).toBeGreaterThan(80);
  });

  it('holds for every integration and end-to-end spec, test helper and harness file', () => {
    expect(fixedPortsInRepo()).toEqual([]);
  });

  const spec = 'apps/x/src/x.e2e-spec.ts';
  it.each([
    ['an offset from a default port', spec, 'const auditUrl = `http://127.0.0.1:${8080 + offset}`;', 1],
    ['a base plus an index', spec, 'const port = basePort + i;', 1],
    ['the next port', 'libs/harness/src/x.ts', 'const controller = port + 1;', 1],
    ['an offset variable', spec, 'SURGE_PORT_OFFSET: String(offset),', 1],
    ['a fixed PORT', spec, "PORT: '8090',", 1],
    ['a fixed port option', 'apps/x/src/testing/x.ts', 'server.listen(3000, host);', 1],
    ['an ephemeral port in a URL', spec, "const url = 'http://127.0.0.1:45123';", 1],
    ['port 0', spec, "PORT: '0',", 0],
    ['a free port', spec, 'PORT: String(await freePort()),', 0],
    ['listening on 0', spec, "server.listen(0, '127.0.0.1', resolve);", 0],
    ['the shared Redis', spec, "new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')", 0],
    ['a number that is no port', spec, "decision('work_mem', 16384, 32768, 'up')", 0],
    ['a report', spec, "const text = report + '\\n';", 0],
    ['a comment', spec, '// ports at 8080 + offset collide', 0],
    ['production code', 'apps/x/src/x.service.ts', 'const port = basePort + i;', 0],
  ])('%s', (_name, file, line, found) => {
    expect(fixedPorts(file, line)).toHaveLength(found);
  });
});
