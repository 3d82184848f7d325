import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ACTION_RESULT_SCHEMA_VERSION,
  actionResult,
  ALERT_EVENT_SCHEMA_VERSION,
  alertEvent,
  SCALE_EXPLANATION_SCHEMA_VERSION,
  scaleExplanation,
  CONTROL_EVENT_SCHEMA_VERSION,
  DEAD_LETTER_SCHEMA_VERSION,
  METRIC_SAMPLE_SCHEMA_VERSION,
  OBSERVED_STATE_SCHEMA_VERSION,
  QUEUE_EVENT_SCHEMA_VERSION,
  SCALE_DECISION_SCHEMA_VERSION,
  ContractViolation,
  controlEvent,
  deadLetterRecord,
  decode,
  DEFAULT_TOPICS,
  isReservedMetric,
  metricSample,
  observedState,
  queueEvent,
  sampleEnvelope,
  scaleDecision,
} from './index';

const golden = (file: string) => JSON.parse(readFileSync(path.join(__dirname, '..', 'golden', file), 'utf8'));

// Every golden example, with its schema and the version it was written in: an old version's example is what
// a consumer of this release must still read (a rolling upgrade, records already on a topic).
const cases: [string, z.ZodType, number][] = [
  ['metric-sample.v1.json', metricSample, 1],
  ['sample-envelope.v1.json', sampleEnvelope, 1],
  ['scale-decision.v1.json', scaleDecision, 1],
  ['action-result.v1.json', actionResult, 1],
  ['action-result-conflict.v2.json', actionResult, 2],
  ['action-result-not-ready.v3.json', actionResult, 3],
  ['queue-event.v1.json', queueEvent, 1],
  ['queue-event-configured.v2.json', queueEvent, 2],
  ['control-event.v1.json', controlEvent, 1],
  ['control-event.v2.json', controlEvent, 2],
  ['control-event-until.v3.json', controlEvent, 3],
  ['control-event-approve.v4.json', controlEvent, 4],
  ['dead-letter.v1.json', deadLetterRecord, 1],
  ['dead-letter-signature.v2.json', deadLetterRecord, 2],
  ['observed-state.v1.json', observedState, 1],
  ['scale-decision-rule.v1.json', scaleDecision, 1],
  ['scale-decision-rollback.v1.json', scaleDecision, 1],
  ['alert-event.v1.json', alertEvent, 1],
  ['alert-event-resolved.v1.json', alertEvent, 1],
  ['scale-explanation.v1.json', scaleExplanation, 1],
];

describe('golden examples', () => {
  it.each(cases)('%s decodes with its schema and keeps its schemaVersion %i', (file, schema, version) => {
    const decoded = decode(file, schema, golden(file)) as { schemaVersion: number };
    expect(decoded.schemaVersion).toBe(version);
  });

  it('has an example of the version this release writes, for every versioned schema', () => {
    const written = {
      'action-result': ACTION_RESULT_SCHEMA_VERSION,
      'queue-event': QUEUE_EVENT_SCHEMA_VERSION,
      'control-event': CONTROL_EVENT_SCHEMA_VERSION,
      'dead-letter': DEAD_LETTER_SCHEMA_VERSION,
      'observed-state': OBSERVED_STATE_SCHEMA_VERSION,
      'scale-decision': SCALE_DECISION_SCHEMA_VERSION,
      'metric-sample': METRIC_SAMPLE_SCHEMA_VERSION,
      'alert-event': ALERT_EVENT_SCHEMA_VERSION,
      'scale-explanation': SCALE_EXPLANATION_SCHEMA_VERSION,
    };
    const files = readdirSync(path.join(__dirname, '..', 'golden'));
    for (const [name, version] of Object.entries(written))
      expect(files.some((file) => file.startsWith(name) && file.endsWith(`.v${version}.json`))).toBe(true);
  });

  it('control-event.v2.json decodes with the scope that keys it on the compacted control topic', () => {
    const event = decode('control', controlEvent, golden('control-event.v2.json'));
    expect(event).toMatchObject({ schemaVersion: 2, scope: 'pause:policy:checkout-api' });
  });

  it('accepts a version-1 control event and derives its scope, for a rolling upgrade', () => {
    expect(decode('control', controlEvent, golden('control-event.v1.json')).scope).toBe('pause:policy:checkout-api');
    const global = { schemaVersion: 1, type: 'dry-run-on', time: 1 };
    expect(decode('control', controlEvent, global).scope).toBe('dry-run:global');
  });

  it('refuses a version-2 control event whose scope does not match its type and policy', () => {
    const event = { ...golden('control-event.v2.json'), scope: 'pause:global' };
    expect(() => decode('control', controlEvent, event)).toThrow(/scope: must be pause:policy:checkout-api/);
  });

  it('keeps the expiry of a version-3 pause, and refuses one on any other type', () => {
    const pause = golden('control-event-until.v3.json');
    expect(decode('control', controlEvent, pause)).toMatchObject({ until: 1763665200000 });
    const resume = { ...pause, type: 'resume', scope: 'pause:policy:checkout-api' };
    expect(() => decode('control', controlEvent, resume)).toThrow(/until: only a pause may carry an expiry/);
  });

  it('keys a version-4 answer by its run and step, and refuses one without a step or on an older version', () => {
    const approve = golden('control-event-approve.v4.json');
    expect(decode('control', controlEvent, approve)).toMatchObject({ type: 'approve', plan: { step: 0 } });
    const { plan: _plan, ...unnamed } = approve as Record<string, unknown>;
    expect(() => decode('control', controlEvent, unnamed)).toThrow(/plan: approve needs the plan step it answers/);
    const old = { ...golden('control-event-until.v3.json'), type: 'reject', until: undefined };
    expect(() => decode('control', controlEvent, old)).toThrow(/type: reject needs schemaVersion 4/);
    const pause = {
      ...golden('control-event-until.v3.json'),
      schemaVersion: 4,
      plan: { runId: 'p-12345678', step: 1 },
    };
    expect(() => decode('control', controlEvent, pause)).toThrow(/plan: only approve and reject name a plan step/);
  });

  it('normalises an ISO timestamp to epoch milliseconds', () => {
    const sample = decode('sample', metricSample, golden('metric-sample.v1.json'));
    expect(sample.timestamp).toBe(Date.parse('2026-11-20T18:00:00.000Z'));
  });

  it('rejects a future schema version', () => {
    expect(() => decode('decision', scaleDecision, { ...golden('scale-decision.v1.json'), schemaVersion: 2 })).toThrow(
      ContractViolation,
    );
  });
});

describe('action results', () => {
  it('reports a conflict with the value read and nothing changed', () => {
    const result = decode('action', actionResult, golden('action-result-conflict.v2.json'));
    expect(result).toMatchObject({ status: 'conflict', before: 9, after: null });
  });

  it('refuses a conflict in a version-1 result: that version had no such status', () => {
    const v1 = { ...golden('action-result-conflict.v2.json'), schemaVersion: 1 };
    expect(() => decode('action', actionResult, v1)).toThrow(ContractViolation);
  });

  it('action-result-signature.v2.json: a decision refused for its signature says so in a code, not only in prose', () => {
    const result = decode('action', actionResult, golden('action-result-signature.v2.json'));
    expect(result).toMatchObject({ schemaVersion: 2, status: 'rejected', reason: 'signature', before: null });
  });

  it('accepts a version-1 result, without a reason, for a rolling upgrade; a version-1 reason is not one', () => {
    expect(decode('action', actionResult, golden('action-result.v1.json'))).not.toHaveProperty('reason');
    const v1WithReason = { ...golden('action-result.v1.json'), status: 'rejected', reason: 'signature' };
    expect(decode('action', actionResult, v1WithReason)).not.toHaveProperty('reason');
    const unknown = { ...golden('action-result-signature.v2.json'), reason: 'because' };
    expect(() => decode('action', actionResult, unknown)).toThrow(/reason/);
  });

  it('reports a change made but not ready, with what was seen, and refuses that status in a version-2 result', () => {
    const result = decode('action', actionResult, golden('action-result-not-ready.v3.json'));
    expect(result).toMatchObject({ status: 'not-ready', before: 3, after: 6, verified: true });
    const v2 = { ...golden('action-result-not-ready.v3.json'), schemaVersion: 2 };
    expect(() => decode('action', actionResult, v2)).toThrow(ContractViolation);
  });

  it('keeps a result written before the conflict status valid', () => {
    const { verified: _, ...older } = golden('action-result.v1.json');
    expect(decode('action', actionResult, older)).toMatchObject({ status: 'applied', verified: null });
  });
});

describe('queue events and dead letters', () => {
  it('reads a version-1 queue event, and refuses a type version 1 did not have', () => {
    expect(decode('queue', queueEvent, golden('queue-event.v1.json'))).toMatchObject({ type: 'admissions' });
    const v1 = { ...golden('queue-event-configured.v2.json'), schemaVersion: 1 };
    expect(() => decode('queue', queueEvent, v1)).toThrow(ContractViolation);
  });

  it('reads a version-1 dead letter, and refuses a reason version 1 did not have', () => {
    expect(decode('dead', deadLetterRecord, golden('dead-letter.v1.json'))).toMatchObject({
      reason: 'schema-violation',
    });
    const v1 = { ...golden('dead-letter-signature.v2.json'), schemaVersion: 1 };
    expect(() => decode('dead', deadLetterRecord, v1)).toThrow(ContractViolation);
  });
});

describe('field issues', () => {
  it('names every bad field by path', () => {
    try {
      decode('sample', metricSample, { metric: '9bad name', value: 'NaN', timestamp: 'yesterday' });
      expect.unreachable();
    } catch (error) {
      const paths = (error as ContractViolation).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['metric', 'target', 'timestamp', 'value']);
    }
  });

  it('refuses non-finite numbers', () => {
    expect(metricSample.safeParse({ target: 't', metric: 'm', value: Infinity, timestamp: 1 }).success).toBe(false);
  });
});

describe('decisions, alerts and explanations', () => {
  it('keeps the rule severity as written beside the coarse one, and reads a decision without it', () => {
    expect(decode('decision', scaleDecision, golden('scale-decision-rule.v1.json'))).toMatchObject({
      severity: 'critical',
      ruleSeverity: 'P1',
    });
    expect(decode('decision', scaleDecision, golden('scale-decision.v1.json'))).not.toHaveProperty('ruleSeverity');
  });

  it('shares the alert id between the firing and the resolved event of one breach, endsAt null while firing', () => {
    const firing = decode('alert', alertEvent, golden('alert-event.v1.json'));
    const resolved = decode('alert', alertEvent, golden('alert-event-resolved.v1.json'));
    expect(firing.alertId).toBe(resolved.alertId);
    expect([firing.endsAt, resolved.endsAt! > resolved.startsAt]).toEqual([null, true]);
  });

  it.each(['action-failed', 'verification-failed', 'rollback', 'pause'])('already reads an alert from %s', (source) => {
    expect(decode('alert', alertEvent, { ...golden('alert-event.v1.json'), source }).source).toBe(source);
  });

  it('refuses an explanation reason it does not know', () => {
    const unknown = { ...golden('scale-explanation.v1.json'), reason: 'because' };
    expect(() => decode('explanation', scaleExplanation, unknown)).toThrow(/reason/);
  });
});

describe('topics', () => {
  it('has versioned topics of their own for alerts and explanations', () => {
    expect([DEFAULT_TOPICS.alerts, DEFAULT_TOPICS.explanations]).toEqual(['surge.alerts', 'surge.scale.explanations']);
  });

  // Overrides are read from the validated config: libs/config's topic-env.spec.ts (topicsFrom).
  it('has a topic of its own for observed state', () => {
    expect(DEFAULT_TOPICS.observed).toBe('surge.targets.observed');
  });
});

describe('observed state', () => {
  const example = () => golden('observed-state.v1.json');

  it('carries the read-back of a decision, or none for a periodic observation', () => {
    expect(decode('observed', observedState, example()).decisionId).toBe('d-5f2a9c0e7b1d4c3a');
    const { decisionId: _, ...periodic } = example();
    expect(observedState.parse(periodic).decisionId).toBeUndefined();
  });

  it.each([
    ['no setting', { settings: {} }, 'settings'],
    ['a non-finite value', { settings: { replicas: Infinity } }, 'settings.replicas'],
    ['a bad setting name', { settings: { '9 replicas': 3 } }, 'settings.9 replicas'],
    ['a fractional time', { observedAt: 1.5 }, 'observedAt'],
    ['no executor', { executor: '' }, 'executor'],
  ])('refuses %s', (_name, patch, path) => {
    try {
      decode('observed', observedState, { ...example(), ...patch });
      expect.unreachable();
    } catch (error) {
      expect((error as ContractViolation).issues.map((i) => i.path)).toContain(path);
    }
  });
});

describe('reserved metrics', () => {
  it.each(['replicas', 'default_pool_size', 'maxmemory', 'database_connection_limit', 'maxActive', 'mode'])(
    'reserves the setting %s',
    (name) => expect(isReservedMetric(name)).toBe(true),
  );

  it.each(['cpu_utilization', 'queue_waiting', 'cl_waiting', 'used_memory', 'Replicas'])(
    'leaves the workload metric %s to samples',
    (name) => expect(isReservedMetric(name)).toBe(false),
  );
});
