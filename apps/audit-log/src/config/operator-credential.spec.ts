import { describe, expect, it } from 'vitest';
import { loadAuditLogConfig } from './audit-log.config';

const base = { KAFKA_BROKERS: '127.0.0.1:9092', DATABASE_URL: 'postgres://surge@127.0.0.1:5432/surge' };

describe('the console’s operator credential at boot', () => {
  it('starts on an operators file alone, without the shared admin token', () => {
    const config = loadAuditLogConfig({ ...base, SURGE_ADMIN_TOKEN: '', SURGE_OPERATORS_FILE: '/etc/surge/ops.yaml' });
    expect(config.SURGE_ADMIN_TOKEN).toBeUndefined();
    expect(config.SURGE_OPERATORS_FILE).toBe('/etc/surge/ops.yaml');
  });

  it('refuses to start with neither, or with a placeholder token, saying how to make one', () => {
    expect(() => loadAuditLogConfig(base)).toThrow(
      /SURGE_ADMIN_TOKEN: set SURGE_OPERATORS_FILE .*openssl rand -hex 32/,
    );
    expect(() => loadAuditLogConfig({ ...base, SURGE_ADMIN_TOKEN: 'replace-me-with-a-real-token' })).toThrow(
      /SURGE_ADMIN_TOKEN: looks like a placeholder/,
    );
  });
});
