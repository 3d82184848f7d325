import { describe, expect, it } from 'vitest';
import {
  decodeObservedSetting,
  encodeObservedSetting,
  OBSERVED_SETTING_SCHEMA_VERSION,
} from './observed-setting.codec';

const observed = { kind: 'Deployment', setting: 'replicas', value: 3, observedAt: 1_000 };

describe('observed setting codec', () => {
  it('writes the schema version and reads its own values back', () => {
    const raw = encodeObservedSetting(observed);
    expect(JSON.parse(raw)).toMatchObject({ schemaVersion: OBSERVED_SETTING_SCHEMA_VERSION });
    expect(decodeObservedSetting(raw)).toEqual({ observed });
  });

  it.each([
    [
      'a newer version',
      JSON.stringify({ ...observed, schemaVersion: OBSERVED_SETTING_SCHEMA_VERSION + 1 }),
      /schemaVersion/,
    ],
    ['a value without a version', JSON.stringify(observed), /schemaVersion undefined/],
    ['a value that is not JSON', '{"kind":', /not JSON/],
    ['a value that is not an object', '[1]', /not an object/],
    ['a value without a setting', encodeObservedSetting({ ...observed, setting: undefined as never }), /setting/],
    ['a value without a time', encodeObservedSetting({ ...observed, observedAt: 'soon' as never }), /time/],
  ])('refuses %s rather than misread it', (_case, raw, reason) => {
    expect(decodeObservedSetting(raw)).toEqual({ rebuilt: expect.stringMatching(reason) });
  });
});
