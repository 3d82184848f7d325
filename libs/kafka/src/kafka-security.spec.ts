import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaSecurityFrom } from './kafka-security';

describe('kafkaSecurityFrom', () => {
  it('reads the SASL password from its file without the trailing newline', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-kafka-sec-'));
    const file = path.join(dir, 'password');
    fs.writeFileSync(file, 's3cret\n');
    const security = kafkaSecurityFrom({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'surge-ingest',
      KAFKA_SASL_PASSWORD_FILE: file,
    });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(security.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'surge-ingest', password: 's3cret' });
    expect(security.ssl).toBeUndefined();
  });

  it('refuses half a configuration instead of connecting without it', () => {
    expect(() => kafkaSecurityFrom({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).toThrow(
      /exactly one of KAFKA_SASL_PASSWORD/,
    );
    expect(() => kafkaSecurityFrom({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toThrow(
      /KAFKA_SASL_MECHANISM is not/,
    );
    expect(() => kafkaSecurityFrom({ KAFKA_SSL: true, KAFKA_SSL_CERT_FILE: '/x.pem' })).toThrow(/go together/);
  });

  it('fails on an unreadable secret file, naming it', () => {
    expect(() => kafkaSecurityFrom({ KAFKA_SSL: true, KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' })).toThrow(
      /KAFKA_SSL_CA_FILE \/nonexistent\/ca.pem cannot be read/,
    );
  });

  it('passes TLS through with certificate checks on by default', () => {
    expect(kafkaSecurityFrom({ KAFKA_SSL: true }).ssl).toBe(true);
    expect(kafkaSecurityFrom({ KAFKA_SSL: true, KAFKA_SSL_REJECT_UNAUTHORIZED: false }).ssl).toEqual({
      rejectUnauthorized: false,
    });
  });
});
