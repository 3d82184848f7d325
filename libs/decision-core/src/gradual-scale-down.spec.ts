import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

// The ticketing runbook: after load decreases, wait 15 minutes of stable low load, then 10 -> 6 -> 4 -> 2 with 5 minutes
// between steps. HPA expresses it as a 900 s scale-down window and Percent 33 per 300 s (truncated: 6.7 -> 6, 4.02 -> 4, 2.68 -> 2).
const policy = testPolicy({
  minReplicas: 2,
  maxReplicas: 10,
  metrics: [{ metric: 'cpu_utilization', target: { type: 'Utilization', averageUtilization: 70 } }],
  behavior: {
    scaleDown: { stabilizationWindowSeconds: 900, policies: [{ type: 'Percent', value: 33, periodSeconds: 300 }] },
  },
});

describe('gradual scale-down', () => {
  it('waits 15 minutes of low load, then steps 10 -> 6 -> 4 -> 2 five minutes apart', () => {
    let state: TargetState = emptyState(10);
    const changes: [number, number][] = [];
    for (let seconds = 0; seconds <= 3000; seconds += 15) {
      const cpu = seconds < 60 ? 70 : 5;
      const result = evaluate({
        policy,
        state,
        samples: [{ metric: 'cpu_utilization', value: cpu, timestamp: at(seconds) }],
      });
      state = result.state;
      for (const decision of result.decisions) changes.push([seconds, decision.to]);
    }
    // The last high recommendation (10) is at 45 s; at 945 s it is no longer strictly inside the 900 s window.
    // Each step's event leaves its 300 s period the same way, so steps land exactly 300 s apart.
    expect(changes).toEqual([
      [945, 6],
      [1245, 4],
      [1545, 2],
    ]);
  });
});
