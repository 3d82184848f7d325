export { freePort, freePorts, portAnswers } from './ports';
export { waitFor, HarnessError, type WaitOptions } from './wait-for';
export { repoRoot, surgeDir } from './repo-root';
export { kafkaAnswers } from './kafka-probe';
export { redisAnswers } from './redis-probe';
export { postgresAnswers, ensureDatabase } from './postgres-probe';
export { startLocalKafka, type LocalKafka, type LocalKafkaOptions } from './kafka-local';
export { type KafkaLine } from './kafka-jars';
export { startKafkaCluster, type KafkaCluster, type KafkaClusterNode, type KafkaClusterOptions } from './kafka-cluster';
export { surgeAcls, type KafkaCredentials, type ScramUser } from './kafka-secure';
export { startPrivateRedis, type PrivateRedis, type PrivateRedisOptions } from './redis-local';
export { startPrivatePostgres, type PrivatePostgres, type PrivatePostgresOptions } from './postgres-private';
export { startPgBouncer, PGBOUNCER_ADMIN_USER, type LocalPgBouncer, type PgBouncerOptions } from './pgbouncer-local';
export {
  startLocalAlertmanager,
  alertmanagerAnswers,
  type LocalAlertmanager,
  type LocalAlertmanagerOptions,
} from './alertmanager-local';
export { dockerAnswers } from './docker-probe';
export { resolveServices, type ResolvedServices } from './resolve-services';
export { infraUp, infraDown, type InfraUpResult } from './infra';
export { readEnvFile, writeEnvFile, envFilePath } from './env-file';
export { ensureDebianPackages, listedDebianPackages } from './debian-packages';
export { SERVICE_ENV_KEYS, type ServiceEnv, type StartedService } from './service-record';
export { launchHeadlessChromium } from './chromium';
export { SERVICES, SHOP_PROXY_PORT, signingEnvOf, type ServiceSpec } from './service-catalog';
export { startService, stopService, type RunningService } from './service-process';
export { ServiceExitedError, describeExit } from './service-process';
export { ServiceSupervisor, type SupervisorOptions, type SupervisorState } from './service-supervisor';
export { DEFAULT_RESTART_BACKOFF, restartDelayMs, type RestartBackoff } from './restart-backoff';
export { runTopics, runTopicEnv } from './run-topics';
export { queueKeyEncryptionFile } from './queue-key-secret';
export { writeOperatorsFile, type TestRole } from './operators-file';
export {
  callEveryOperation,
  documentedOperations,
  statusesOf,
  type ConformanceAnswer,
  type ConformanceDocument,
  type OperationCall,
} from './openapi-conformance';
