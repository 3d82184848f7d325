import { z } from 'zod';
import { envBoolean } from './env-primitives';

const optionalPath = (what: string) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()).describe(what);

/**
 * How a Surge service authenticates to Kafka. Every app spreads it through `kafkaEnv`, so TLS and SASL are
 * configured the same way everywhere. Secrets come from files (mounted Kubernetes or compose secrets) or, for
 * local runs, from the variable itself; libs/kafka reads the files once, when it creates the client.
 */
export const kafkaSecurityEnv = {
  KAFKA_SSL: envBoolean(false).describe('Connect to Kafka over TLS'),
  KAFKA_SSL_CA_FILE: optionalPath("PEM file of the CA that signed the brokers' certificates; system CAs when unset"),
  KAFKA_SSL_CERT_FILE: optionalPath('PEM client certificate for mutual TLS; needs KAFKA_SSL_KEY_FILE'),
  KAFKA_SSL_KEY_FILE: optionalPath('PEM private key of KAFKA_SSL_CERT_FILE'),
  KAFKA_SSL_REJECT_UNAUTHORIZED: envBoolean(true).describe(
    'Refuse brokers whose certificate does not verify; turn off only against a test broker',
  ),
  KAFKA_SASL_MECHANISM: z
    .preprocess((v) => (v === '' ? undefined : v), z.enum(['scram-sha-512', 'plain']).optional())
    .describe('SASL mechanism (scram-sha-512 or plain); unset connects without SASL'),
  KAFKA_SASL_USERNAME: optionalPath("SASL user, the service's Kafka principal (see the topic ACL table)"),
  KAFKA_SASL_PASSWORD: optionalPath('SASL password; prefer KAFKA_SASL_PASSWORD_FILE'),
  KAFKA_SASL_PASSWORD_FILE: optionalPath('File holding the SASL password, e.g. a mounted secret'),
};

export type KafkaSecurityConfig = z.output<z.ZodObject<typeof kafkaSecurityEnv>>;

/** The cross-field rules a flat env fragment cannot express; the Kafka module applies them at boot. */
export function kafkaSecurityProblems(config: Partial<KafkaSecurityConfig>): string[] {
  const problems: string[] = [];
  if (config.KAFKA_SASL_MECHANISM) {
    if (!config.KAFKA_SASL_USERNAME) problems.push('KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM');
    if (!config.KAFKA_SASL_PASSWORD === !config.KAFKA_SASL_PASSWORD_FILE)
      problems.push('set exactly one of KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE with KAFKA_SASL_MECHANISM');
  } else if (config.KAFKA_SASL_USERNAME || config.KAFKA_SASL_PASSWORD || config.KAFKA_SASL_PASSWORD_FILE) {
    problems.push('KAFKA_SASL_USERNAME/PASSWORD are set but KAFKA_SASL_MECHANISM is not');
  }
  if (!config.KAFKA_SSL_CERT_FILE !== !config.KAFKA_SSL_KEY_FILE)
    problems.push('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together');
  const tlsFiles = config.KAFKA_SSL_CA_FILE || config.KAFKA_SSL_CERT_FILE;
  if (tlsFiles && !config.KAFKA_SSL) problems.push('KAFKA_SSL_*_FILE is set but KAFKA_SSL is not true');
  return problems;
}
