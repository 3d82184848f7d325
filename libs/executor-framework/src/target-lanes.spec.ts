import { describe, expect, it } from 'vitest';
import { TargetLanes } from './target-lanes';
import { sleep } from './timing';

describe('TargetLanes', () => {
  it('runs one key in order and different keys concurrently', async () => {
    const lanes = new TargetLanes();
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
    };
    const started = Date.now();
    await Promise.all([lanes.run('a', job('a1', 60)), lanes.run('a', job('a2', 10)), lanes.run('b', job('b1', 10))]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
    expect(Date.now() - started).toBeLessThan(150);
  });

  it('keeps a lane going after a failure', async () => {
    const lanes = new TargetLanes();
    await expect(lanes.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lanes.run('a', async () => 42)).resolves.toBe(42);
    await lanes.drain();
  });
});
