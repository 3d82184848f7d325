import fs from 'node:fs';
import { ConfigurationError, kafkaSecurityProblems, type KafkaSecurityConfig } from '@surge/config';
import type { SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';

export interface KafkaSecurity {
  ssl?: ConnectionOptions | boolean;
  sasl?: SASLOptions;
}

const readSecret = (file: string, what: string): string => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`${what} ${file} cannot be read: ${(error as Error).message}`);
  }
};

/**
 * The kafkajs `ssl` and `sasl` options from the validated config. The secret files are read here, once, when the
 * client is made: a missing or unreadable file fails the boot instead of the first reconnect.
 */
export function kafkaSecurityFrom(config: Partial<KafkaSecurityConfig>): KafkaSecurity {
  const problems = kafkaSecurityProblems(config);
  if (problems.length) throw new ConfigurationError(`Kafka security settings: ${problems.join('; ')}`);
  const security: KafkaSecurity = {};
  if (config.KAFKA_SSL) {
    const rejectUnauthorized = config.KAFKA_SSL_REJECT_UNAUTHORIZED ?? true;
    const files = config.KAFKA_SSL_CA_FILE || config.KAFKA_SSL_CERT_FILE;
    security.ssl = files
      ? {
          rejectUnauthorized,
          ...(config.KAFKA_SSL_CA_FILE && { ca: [readSecret(config.KAFKA_SSL_CA_FILE, 'KAFKA_SSL_CA_FILE')] }),
          ...(config.KAFKA_SSL_CERT_FILE && { cert: readSecret(config.KAFKA_SSL_CERT_FILE, 'KAFKA_SSL_CERT_FILE') }),
          ...(config.KAFKA_SSL_KEY_FILE && { key: readSecret(config.KAFKA_SSL_KEY_FILE, 'KAFKA_SSL_KEY_FILE') }),
        }
      : rejectUnauthorized || { rejectUnauthorized };
  }
  if (config.KAFKA_SASL_MECHANISM) {
    const username = config.KAFKA_SASL_USERNAME!;
    // A secret file usually ends with a newline the password does not have.
    const password = config.KAFKA_SASL_PASSWORD_FILE
      ? readSecret(config.KAFKA_SASL_PASSWORD_FILE, 'KAFKA_SASL_PASSWORD_FILE').replace(/\r?\n$/, '')
      : config.KAFKA_SASL_PASSWORD!;
    security.sasl = { mechanism: config.KAFKA_SASL_MECHANISM, username, password };
  }
  return security;
}
