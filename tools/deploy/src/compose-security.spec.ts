import { describe, expect, it } from 'vitest';
import { validateCompose } from './compose-schema.validator';
import { COMPOSE_EDGES, composeSecurityProblems, type ComposeServiceShape } from './compose-security.check';
import { readRepoFile, readYaml } from './repo-files';

type Services = Record<string, ComposeServiceShape>;
const compose = readYaml<{ services: Services }>('docker-compose.yml');
const operators = readYaml<{ services: Services; secrets: Record<string, { file: string }> }>(
  'deploy/compose/operators.yml',
);

/** The compose file's services with one change: each rule must catch the change that breaks it. */
function broken(change: (services: Services) => void): string[] {
  const services = structuredClone(compose.services);
  change(services);
  return composeSecurityProblems(services);
}

describe('docker-compose.yml keeps the deployment rules', () => {
  it('breaks none of them', () => {
    expect(composeSecurityProblems(compose.services)).toEqual([]);
  });

  it('publishes the public edges only, and operator tools on loopback only', () => {
    const published = Object.entries(compose.services).filter(([, service]) => service.ports?.length);
    expect(Object.fromEntries(published.map(([name, service]) => [name, service.ports]))).toEqual({
      ...Object.fromEntries(Object.entries(COMPOSE_EDGES).map(([name, port]) => [name, [`${port}:${port}`]])),
      grafana: ['127.0.0.1:3000:3000'],
    });
    expect(broken((s) => (s['redis']!.ports = ['6379:6379']))).toEqual(['redis: publishes port 6379']);
    expect(broken((s) => (s['postgres']!.ports = [{ target: 5432, published: 5432 }]))).toEqual([
      'postgres: publishes port 5432',
    ]);
    expect(broken((s) => (s['rules-engine']!.ports = ['0.0.0.0:8082:8082']))).toEqual([
      'rules-engine: publishes port 0.0.0.0:8082',
    ]);
    expect(broken((s) => (s['grafana']!.ports = ['3000:3000']))).toEqual(['grafana: publishes port 3000']);
  });

  it('keeps Kafka inside the compose network', () => {
    expect(compose.services['kafka']!.ports).toBeUndefined();
    expect(
      broken((s) => {
        s['kafka']!.environment!['KAFKA_LISTENERS'] = 'PLAINTEXT://:9092,CONTROLLER://:9093,HOST://:29092';
        s['kafka']!.environment!['KAFKA_ADVERTISED_LISTENERS'] = 'PLAINTEXT://kafka:9092,PLAINTEXT://localhost:29092';
      }),
    ).toEqual([
      "kafka: listener HOST://:29092 is not one of the network's",
      'kafka: listener PLAINTEXT://localhost:29092 is advertised outside the network',
    ]);
  });

  it('makes Redis and PostgreSQL require passwords that have no default', () => {
    expect(broken((s) => (s['redis']!.command = ['redis-server', '--appendonly', 'yes']))).toEqual([
      'redis: does not require the password REDIS_PASSWORD',
    ]);
    expect(
      broken((s) => (s['postgres']!.environment!['POSTGRES_PASSWORD'] = '${POSTGRES_PASSWORD:-surge-dev-only}')),
    ).toEqual([
      'postgres: POSTGRES_PASSWORD defaults POSTGRES_PASSWORD to "surge-dev-only"',
      'postgres: POSTGRES_PASSWORD is not required from the environment',
    ]);
    expect(broken((s) => (s['postgres']!.environment!['POSTGRES_HOST_AUTH_METHOD'] = 'trust'))).toEqual([
      'postgres: trusts every client',
    ]);
  });

  it('writes no credential into the file and defaults none', () => {
    expect(
      broken((s) => (s['audit-log']!.environment!['SURGE_ADMIN_TOKEN'] = '${SURGE_ADMIN_TOKEN:-change-me-dev-only}')),
    ).toEqual(['audit-log: SURGE_ADMIN_TOKEN defaults SURGE_ADMIN_TOKEN to "change-me-dev-only"']);
    expect(broken((s) => (s['notifier']!.environment!['REDIS_URL'] = 'redis://:surge-dev-only@redis:6379'))).toEqual([
      'notifier: REDIS_URL is a known default',
    ]);
    expect(broken((s) => (s['grafana']!.environment!['GF_SECURITY_ADMIN_PASSWORD'] = 'f00dfeed1234abcd'))).toEqual([
      'grafana: GF_SECURITY_ADMIN_PASSWORD is written in the file',
    ]);
  });

  it('gives each service only the credentials it uses', () => {
    expect(
      broken((s) => (s['rules-engine']!.environment!['DATABASE_URL'] = s['audit-log']!.environment!['DATABASE_URL']!)),
    ).toEqual(['rules-engine: is given DATABASE_URL, which it does not use']);
    expect(broken((s) => (s['metrics-ingest']!.environment!['SURGE_ADMIN_TOKEN'] = '${SURGE_ADMIN_TOKEN:-}'))).toEqual([
      'metrics-ingest: is given SURGE_ADMIN_TOKEN, which it does not use',
    ]);
  });

  it('keeps the credentials it reads (.env) and the secret files (.secrets/) out of git', () => {
    const ignored = readRepoFile('.gitignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.secrets/']));
  });

  it('mounts every secret readable by the service user alone', () => {
    expect(broken((s) => (s['rules-engine']!.secrets = ['surge-signing-keys-rules-engine']))).toEqual([
      'rules-engine: secret surge-signing-keys-rules-engine is readable by others',
    ]);
    expect(
      broken((s) => (s['audit-log']!.secrets = [{ source: 'surge-signing-keys-control-plane', mode: 0o444 }])),
    ).toEqual(['audit-log: secret surge-signing-keys-control-plane is readable by others']);
  });
});

describe('deploy/compose/operators.yml', () => {
  it('gives the operators file to the services with an operator-facing API, and keeps the rules', () => {
    expect(Object.keys(operators.services).sort()).toEqual(['audit-log', 'rules-engine', 'virtual-queue']);
    for (const service of Object.values(operators.services)) {
      expect(service.environment).toEqual({ SURGE_OPERATORS_FILE: '/run/secrets/surge-operators' });
      expect(service.secrets).toEqual([{ source: 'surge-operators', uid: '1000', gid: '1000', mode: 0o400 }]);
    }
    expect(operators.secrets['surge-operators']!.file).toBe('./.secrets/surge-operators.yaml');
    expect(composeSecurityProblems(operators.services)).toEqual([
      // The override holds no data store: their rules are the main file's.
      'redis: does not require the password REDIS_PASSWORD',
      'postgres: POSTGRES_PASSWORD is not required from the environment',
    ]);
    expect(validateCompose({ ...operators })).toEqual([]);
  });
});
