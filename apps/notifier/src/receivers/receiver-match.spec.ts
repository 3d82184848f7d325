import { describe, expect, it } from 'vitest';
import { firingAlert } from '../testing/alert-fixtures';
import { matchesReceiver } from './receiver-match';

describe('matchesReceiver', () => {
  // The fixture is SEV-3, rank 2.
  const alert = firingAlert('shop/web');

  it('takes every alert when nothing is matched on', () => {
    expect(matchesReceiver({}, alert)).toBe(true);
  });

  it('compares severities by rank, whatever vocabulary each is written in', () => {
    expect(matchesReceiver({ severityAtLeast: 'P2' }, alert)).toBe(true);
    expect(matchesReceiver({ severityAtLeast: 'warning' }, alert)).toBe(true);
    expect(matchesReceiver({ severityAtLeast: 'P1' }, alert)).toBe(false);
    expect(matchesReceiver({ severityAtLeast: 'P1' }, firingAlert('shop/web', { severityRank: 4 }))).toBe(true);
  });

  it('requires every field set to hold', () => {
    expect(matchesReceiver({ policy: 'it-alerts', target: 'shop/web' }, alert)).toBe(true);
    expect(matchesReceiver({ policy: 'it-alerts', target: 'shop/api' }, alert)).toBe(false);
    expect(matchesReceiver({ policy: 'other', severityAtLeast: 'info' }, alert)).toBe(false);
  });
});
