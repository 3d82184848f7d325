import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateCompose } from './compose-schema.validator';
import { COMPOSE_CREDENTIALS_OF } from './compose-security.check';
import { readYaml, repoPath, SIGNING_ROLE_OF, SURGE_SERVICES } from './repo-files';

interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  profiles?: string[];
  secrets?: { source: string }[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
}

const compose = readYaml<ComposeFile>('docker-compose.yml');
const INFRA = ['kafka', 'redis', 'postgres', 'pgbouncer'];

describe('docker-compose.yml', () => {
  it('validates against the Compose specification schema', () => {
    expect(validateCompose(compose)).toEqual([]);
  });

  it('is checked by a schema strict enough to catch a misspelt key', () => {
    const misspelt = structuredClone(compose);
    (misspelt.services['redis']!.healthcheck as Record<string, unknown>)['intervall'] = '5s';
    expect(validateCompose(misspelt).map((issue) => issue.path)).toContain('/services/redis/healthcheck');
    const badDuration = structuredClone(compose);
    (badDuration.services['redis']!.healthcheck as Record<string, unknown>)['interval'] = 'five seconds';
    expect(validateCompose(badDuration)).not.toEqual([]);
  });

  it('runs Kafka 3.9 in KRaft mode, with no ZooKeeper', () => {
    const kafka = compose.services['kafka']!;
    expect(kafka.image).toBe('apache/kafka:3.9.1');
    expect(String(kafka.environment!['KAFKA_PROCESS_ROLES'])).toBe('broker,controller');
    expect(kafka.environment!['KAFKA_CONTROLLER_QUORUM_VOTERS']).toBe('1@kafka:9093');
    expect(Object.keys(compose.services).some((name) => name.includes('zookeeper'))).toBe(false);
  });

  it('keeps Redis durable with AOF, and PostgreSQL at 16 behind PgBouncer', () => {
    expect(compose.services['redis']!.command!.join(' ')).toContain('--appendonly yes');
    expect(compose.services['postgres']!.image).toMatch(/^postgres:16/);
    expect(String(compose.services['pgbouncer']!.environment!['DATABASE_URL'])).toContain('@postgres:5432/');
  });

  it.each(Object.entries(SURGE_SERVICES))('builds and wires %s on port %i', (name, port) => {
    const service = compose.services[name]!;
    expect(service.build).toEqual({ context: '.', args: { APP: name } });
    expect(service.environment!['PORT']).toBe(port);
    // Each service has the connections and credentials it uses (compose-security.spec.ts: and no others).
    for (const key of ['KAFKA_BROKERS', 'SURGE_POLICIES_DIR', 'SURGE_TARGETS_FILE', ...COMPOSE_CREDENTIALS_OF[name]!]) {
      expect(service.environment, key).toHaveProperty(key);
    }
    if (service.environment!['DATABASE_URL'])
      expect(String(service.environment!['DATABASE_URL'])).toContain('@pgbouncer:5432/');
    expect(Object.keys(service.depends_on!).sort()).toEqual([...INFRA].sort());
    expect(service.profiles).toBeUndefined();
  });

  it('signs with each role key from a Docker secret and requires the public keys from the environment', () => {
    for (const [name, role] of Object.entries(SIGNING_ROLE_OF)) {
      const service = compose.services[name]!;
      const secret = `surge-signing-keys-${role}`;
      // The waiting room also seals its token keys with a secret of its own.
      expect(
        service.secrets!.map((s) => s.source),
        name,
      ).toEqual(name === 'virtual-queue' ? [secret, 'surge-queue-key-encryption'] : [secret]);
      expect(service.environment!['SURGE_SIGNING_KEY_FILE'], name).toBe(`/run/secrets/${secret}`);
      expect(compose.secrets[secret]!.file).toBe(`./.secrets/surge-signing-keys/${role}.pem`);
      expect(service.environment!['SURGE_SIGNING_KEY']).toBeUndefined();
      for (const list of ['SURGE_DECISIONS_PUBLIC_KEYS', 'SURGE_OBSERVED_PUBLIC_KEYS', 'SURGE_CONTROL_PUBLIC_KEYS'])
        expect(String(service.environment![list]), `${name} ${list}`).toMatch(new RegExp(`^\\$\\{${list}:\\?`));
    }
    expect(compose.services['metrics-ingest']!.secrets).toBeUndefined();
  });

  it('gives the waiting room its key-encryption secret from a Docker secret, never inline', () => {
    const queue = compose.services['virtual-queue']!;
    expect(queue.environment!['VQ_KEY_ENCRYPTION_KEY_FILE']).toBe('/run/secrets/surge-queue-key-encryption');
    expect(compose.secrets['surge-queue-key-encryption']!.file).toBe('./.secrets/surge-queue-key-encryption');
  });

  it('starts nothing before what it depends on is healthy', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(condition, `${name} -> ${dependency}`).toBe('service_healthy');
        const target = compose.services[dependency]!;
        // Surge's own images carry a Dockerfile HEALTHCHECK; every other dependency declares one here.
        if (!(dependency in SURGE_SERVICES)) expect(target.healthcheck, dependency).toBeDefined();
      }
    }
    for (const name of INFRA) expect(compose.services[name]!.healthcheck, name).toBeDefined();
  });

  it('keeps state in named volumes and mounts only files that exist', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect(existsSync(repoPath(source)), `${name}: ${source}`).toBe(true);
        else expect(compose.volumes, `${name}: ${source}`).toHaveProperty(source);
      }
    }
    for (const name of ['kafka', 'redis', 'postgres']) {
      expect(compose.services[name]!.volumes!.some((v) => !v.startsWith('.'))).toBe(true);
    }
  });

  it('puts Prometheus and Grafana behind the observability profile', () => {
    for (const name of ['prometheus', 'grafana']) expect(compose.services[name]!.profiles).toEqual(['observability']);
    const profiled = Object.entries(compose.services).filter(([, service]) => service.profiles);
    expect(profiled.map(([name]) => name).sort()).toEqual(['grafana', 'prometheus']);
  });
});
