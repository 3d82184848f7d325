import { describe, expect, it } from 'vitest';
import { noUnused } from './sample-admission';
import { routeEnvelope, sampleRoutes, splitSamples } from './sample-routing';
import { testPolicy } from './testing';

const database = (setting: string) =>
  testPolicy({
    target: { id: 'db/main', kind: 'PostgresDatabase' },
    minReplicas: undefined,
    maxReplicas: undefined,
    setting,
    min: 1,
    max: 64,
    metricsFrom: ['shop/web'],
    metrics: [{ metric: 'connections', target: { type: 'Value', value: 10 } }],
  });
const sample = (metric: string, value = 1) => ({ metric, value, timestamp: 1 });

describe('splitSamples', () => {
  it.each([
    ["the target's own reserved setting", 'database_connection_limit', 'db/main', 'role_connection_limit'],
    ["another target's reserved setting", 'database_connection_limit', 'shop/web', 'replicas'],
    [
      "another target's sample of the policy's setting",
      'database_connection_limit',
      'shop/web',
      'database_connection_limit',
    ],
    ['a setting only the policy names (a PostgreSQL server setting)', 'work_mem', 'db/main', 'work_mem'],
  ])('drops %s from the workload', (_name, setting, from, metric) => {
    expect(splitSamples(database(setting), from, [sample('connections'), sample(metric)])).toEqual([
      sample('connections'),
    ]);
  });

  it('passes workload through without copying the array', () => {
    const samples = [sample('connections'), sample('cpu_utilization')];
    expect(splitSamples(database('database_connection_limit'), 'db/main', samples)).toBe(samples);
  });

  it("hands the own target's setting to onObserved, and nothing else", () => {
    const observed: unknown[] = [];
    const policy = database('work_mem');
    const own = [sample('work_mem', 64), sample('connections'), sample('role_connection_limit', 9)];
    expect(splitSamples(policy, 'db/main', own, (s) => observed.push(s))).toEqual([sample('connections')]);
    expect(splitSamples(policy, 'shop/web', [sample('work_mem', 8)], (s) => observed.push(s))).toEqual([]);
    expect(observed).toEqual([sample('work_mem', 64)]);
  });

  it("drops the own target's read-back companion of its setting, and hands on the setting", () => {
    const web = testPolicy();
    const observed: unknown[] = [];
    const samples = [sample('replicas', 3), sample('status_replicas', 1), sample('cpu_utilization')];
    expect(splitSamples(web, web.target.id, samples, (s) => observed.push(s))).toEqual([sample('cpu_utilization')]);
    expect(observed).toEqual([sample('replicas', 3)]);
  });
});

describe('routeEnvelope', () => {
  const at = (metric: string, timestamp: number) => ({ metric, value: 1, timestamp });
  const route = sampleRoutes([database('work_mem')]).get('shop/web')!;

  it('refuses samples stamped past the limit and counts what no reader reads, in one pass', () => {
    const unused = noUnused();
    const routed = routeEnvelope([at('connections', 10), at('ping_ms', 10), at('connections', 99)], route, 50, unused);
    expect(routed.samples).toEqual([at('connections', 10), at('ping_ms', 10)]);
    expect(unused).toMatchObject({ future: 1, unread: 1 });
    expect(routed.settingNamed).toBe(false);
  });

  it('returns the input itself when nothing is refused', () => {
    const samples = [at('connections', 10)];
    expect(routeEnvelope(samples, route, 50, noUnused()).samples).toBe(samples);
  });

  it.each([
    ["a reader's setting", 'work_mem'],
    ['a reserved name', 'replicas'],
  ])('says when a sample bears %s, so the readers split it', (_name, metric) => {
    const unused = noUnused();
    expect(routeEnvelope([at('connections', 10), at(metric, 10)], route, 50, unused).settingNamed).toBe(true);
  });

  it("does not count a reader's setting as unread", () => {
    const unused = noUnused();
    routeEnvelope([at('work_mem', 10)], route, 50, unused);
    expect(unused.unread).toBe(0);
  });
});
