import { describe, expect, it } from 'vitest';
import { judgeReadiness } from './workload-readiness';

describe('judgeReadiness', () => {
  const done = { generation: 3, observedGeneration: 3, replicas: 6, readyReplicas: 6 };

  it('is ready when the current generation is observed and every desired pod is ready', () => {
    expect(judgeReadiness(done, 6)).toEqual({
      ready: true,
      seen: '6 of 6 ready, 6 replicas, generation 3 observed 3',
    });
  });

  it.each([
    ['pods still starting', { readyReplicas: 3 }, '3 of 6 ready'],
    ['a status of the previous generation', { observedGeneration: 2 }, 'generation 3 observed 2'],
    ['old pods still running after a scale-down', { replicas: 8 }, '8 replicas'],
    [
      'no status at all yet',
      { observedGeneration: undefined, replicas: undefined, readyReplicas: undefined },
      '0 of 6',
    ],
  ])('is not ready with %s, and says what it saw', (_name, patch, seen) => {
    const judgement = judgeReadiness({ ...done, ...patch }, 6);
    expect(judgement.ready).toBe(false);
    expect(judgement.seen).toContain(seen);
  });

  it('is ready after a scale-down once the surplus pods are gone', () => {
    expect(judgeReadiness({ ...done, replicas: 2, readyReplicas: 2 }, 2).ready).toBe(true);
  });

  it('is ready at zero replicas once the last pod is gone', () => {
    expect(judgeReadiness({ generation: 4, observedGeneration: 4 }, 0).ready).toBe(true);
  });
});
