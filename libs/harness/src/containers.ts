import type { StartedService } from './service-record';

export interface ContainerService {
  value: string;
  record: StartedService;
}

// Imported lazily: testcontainers is a dev dependency and only loaded when a Docker engine answered.
// Ryuk would remove the containers as soon as `infra:up` exits; the harness stops them itself, by id.
function keepAfterExit(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
}

export async function startKafkaContainer(): Promise<ContainerService> {
  keepAfterExit();
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0')
    .withKraft()
    .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false', KAFKA_NUM_PARTITIONS: '3' })
    .start();
  return {
    value: `${container.getHost()}:${container.getMappedPort(9093)}`,
    record: { service: 'kafka', kind: 'container', containerId: container.getId() },
  };
}

export async function startRedisContainer(): Promise<ContainerService> {
  keepAfterExit();
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer('redis:7-alpine').start();
  return {
    value: container.getConnectionUrl(),
    record: { service: 'redis', kind: 'container', containerId: container.getId() },
  };
}

export async function startPostgresContainer(): Promise<ContainerService> {
  keepAfterExit();
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:16-alpine').withDatabase('test').start();
  return {
    value: container.getConnectionUri(),
    record: { service: 'postgres', kind: 'container', containerId: container.getId() },
  };
}
