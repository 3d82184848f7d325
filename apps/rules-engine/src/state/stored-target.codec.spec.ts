import { emptyState } from '@surge/decision-core';
import { describe, expect, it } from 'vitest';
import {
  decodeStoredTarget,
  encodeStoredTarget,
  STORED_TARGET_SCHEMA_VERSION,
  type StoredTarget,
} from './stored-target.codec';

const state = { ...emptyState(3), lastEvaluatedAt: 1_000, lastScaleTime: 900 };
const decision = { decisionId: 'd-1', target: { id: 'shop/web', kind: 'Deployment' } };
const asEntry = { kind: 'decision', event: decision };

describe('stored target codec', () => {
  it('writes the schema version and reads its own values back', () => {
    const watermarks = { 'shop/web': { cpu: 1_000 } };
    const raw = encodeStoredTarget({ state, outbox: [], watermarks });
    expect(JSON.parse(raw)).toMatchObject({ schemaVersion: STORED_TARGET_SCHEMA_VERSION });
    expect(decodeStoredTarget(raw)).toEqual({ stored: { state, outbox: [], watermarks } });
  });

  it('migrates a value written before values carried a version, outbox and watermarks included', () => {
    const unversioned = JSON.stringify({ state, outbox: [decision], watermarks: { 'shop/web': 1_000 } });
    const decoded = decodeStoredTarget(unversioned);
    expect(decoded).toEqual({ stored: { state, outbox: [asEntry], watermarks: { 'shop/web': {} } } });
    expect(JSON.parse(encodeStoredTarget(decoded.stored!))).toMatchObject({
      schemaVersion: STORED_TARGET_SCHEMA_VERSION,
      outbox: [asEntry],
    });
  });

  it("migrates version 2's outbox of decisions to decision entries, its watermarks kept as they are", () => {
    const watermarks = { 'shop/web': { cpu: 1_000 } };
    const v2 = JSON.stringify({ schemaVersion: 2, state, outbox: [decision], watermarks });
    expect(decodeStoredTarget(v2)).toEqual({ stored: { state, outbox: [asEntry], watermarks } });
  });

  it('keeps decisions, alerts and explanations in one outbox, each with its kind', () => {
    const outbox = [
      asEntry,
      { kind: 'alert', event: { alertId: 'a-1', status: 'firing' } },
      { kind: 'explanation', event: { explanationId: 'e-1', reason: 'at-max' } },
    ] as StoredTarget['outbox'];
    expect(decodeStoredTarget(encodeStoredTarget({ state, outbox })).stored!.outbox).toEqual(outbox);
  });

  it("migrates version 1's watermark per source to one per metric, no later than the metric's sample", () => {
    const withSamples = { ...state, samples: { cpu: { value: 1, time: 900 }, queue: { value: 2, time: 950 } } };
    // A watermark a future stamp pushed ahead (10 minutes) must not survive as a freeze.
    const v1 = JSON.stringify({
      schemaVersion: 1,
      state: withSamples,
      outbox: [],
      watermarks: { 'shop/web': 600_950 },
    });
    expect(decodeStoredTarget(v1).stored!.watermarks).toEqual({ 'shop/web': { cpu: 900, queue: 950 } });
  });

  it.each([
    [
      'a newer version',
      JSON.stringify({ schemaVersion: STORED_TARGET_SCHEMA_VERSION + 1, state, outbox: [] }),
      new RegExp(`schemaVersion ${STORED_TARGET_SCHEMA_VERSION + 1}`),
    ],
    ['an unknown version', JSON.stringify({ schemaVersion: 'v0', state, outbox: [] }), /"v0"/],
    ['a value that is not JSON', '{"state":', /not JSON/],
    ['a value that is not an object', '[1,2]', /not an object/],
    ['a value without state', JSON.stringify({ schemaVersion: STORED_TARGET_SCHEMA_VERSION, outbox: [] }), /state/],
    ['an outbox that is not a list', JSON.stringify({ state, outbox: {} }), /outbox/],
    [
      'an outbox entry of no known kind',
      JSON.stringify({ schemaVersion: STORED_TARGET_SCHEMA_VERSION, state, outbox: [{ kind: 'page', event: {} }] }),
      /no known kind/,
    ],
  ])('rebuilds from empty rather than misread %s', (_case, raw, reason) => {
    const decoded = decodeStoredTarget(raw);
    expect(decoded.stored).toBeUndefined();
    expect(decoded.rebuilt).toMatch(reason);
  });
});
