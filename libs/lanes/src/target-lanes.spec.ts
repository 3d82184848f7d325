import { describe, expect, it } from 'vitest';
import { TargetLanes } from './target-lanes';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

  describe('runMany', () => {
    it('orders work across overlapping key sets and leaves disjoint keys free', async () => {
      const lanes = new TargetLanes();
      const log: string[] = [];
      const job = (name: string, ms: number) => async () => {
        log.push(`start ${name}`);
        await sleep(ms);
        log.push(`end ${name}`);
        return name;
      };
      const results = await Promise.all([
        lanes.run('a', job('a', 40)),
        lanes.runMany(['b', 'c'], job('bc', 40)),
        // Waits for both a and bc, since it shares a key with each.
        lanes.runMany(['a', 'b'], job('ab', 10)),
        // Queued behind ab on b, so behind bc as well.
        lanes.run('b', job('b', 10)),
        // Shares c with bc only: after bc, but not held by a or ab.
        lanes.runMany(['c', 'd'], job('cd', 10)),
        lanes.run('e', job('e', 10)),
      ]);
      expect(results).toEqual(['a', 'bc', 'ab', 'b', 'cd', 'e']);
      const at = (entry: string) => log.indexOf(entry);
      expect(at('start ab')).toBeGreaterThan(at('end a'));
      expect(at('start ab')).toBeGreaterThan(at('end bc'));
      expect(at('start b')).toBeGreaterThan(at('end ab'));
      expect(at('start cd')).toBeGreaterThan(at('end bc'));
      expect(at('start cd')).toBeLessThan(at('end ab'));
      expect(at('end e')).toBeLessThan(at('end a'));
    });

    it('does not let a failure block later work on any of its keys', async () => {
      const lanes = new TargetLanes();
      const failed = lanes.runMany(['a', 'b'], async () => {
        await sleep(10);
        throw new Error('boom');
      });
      const onA = lanes.run('a', async () => 'a');
      const onBoth = lanes.runMany(['b', 'c'], async () => 'bc');
      await expect(failed).rejects.toThrow('boom');
      await expect(onA).resolves.toBe('a');
      await expect(onBoth).resolves.toBe('bc');
    });

    it('is waited for by drain', async () => {
      const lanes = new TargetLanes();
      const finished: string[] = [];
      const first = lanes.runMany(['a', 'b'], async () => {
        await sleep(30);
        finished.push('ab');
      });
      const second = lanes.runMany(['b', 'c'], async () => {
        await sleep(10);
        finished.push('bc');
      });
      await lanes.drain();
      expect(finished).toEqual(['ab', 'bc']);
      await Promise.all([first, second]);
    });
  });
});
