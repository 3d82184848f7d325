/**
 * The connections and credentials each workload reads from its own Secret, `surge-<name>`, and no more. The PgBouncer
 * admin console is executor-database's alone: the targets file names it as a file only that executor mounts.
 * No workload gets SURGE_ADMIN_TOKEN: the operators file (Secret surge-operators) is the only operator credential.
 */
export const KUBERNETES_CREDENTIALS_OF: Readonly<Record<string, readonly string[]>> = {
  'metrics-ingest': [],
  'rules-engine': ['REDIS_URL'],
  'executor-k8s': ['REDIS_URL'],
  'executor-database': ['REDIS_URL', 'PGBOUNCER_ADMIN_URL'],
  'executor-cache': ['REDIS_URL'],
  'virtual-queue': ['REDIS_URL'],
  'audit-log': ['DATABASE_URL'],
  notifier: ['REDIS_URL'],
};

/** The workloads with an operator-facing HTTP API: the console and control API, the waiting-room admin, the status. */
export const OPERATOR_FACING = ['rules-engine', 'virtual-queue', 'audit-log'] as const;

/** `*` stands for every key of the Secret: what envFrom or a volume without `items` hands over. */
export interface SecretRead {
  secret: string;
  key: string;
  via: string;
}

interface ContainerShape {
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { secretRef?: { name: string } }[];
}
interface SecretVolumeSource {
  secretName?: string;
  name?: string;
  items?: { key: string }[];
}
export interface PodSpecShape {
  containers: ContainerShape[];
  initContainers?: ContainerShape[];
  volumes?: { name: string; secret?: SecretVolumeSource; projected?: { sources: { secret?: SecretVolumeSource }[] } }[];
}

const keysOf = (source: SecretVolumeSource) => (source.items?.length ? source.items.map((item) => item.key) : ['*']);

/** Every Secret key a pod can read, and how. */
export function secretReads(spec: PodSpecShape): SecretRead[] {
  const reads: SecretRead[] = [];
  for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
    for (const from of container.envFrom ?? [])
      if (from.secretRef) reads.push({ secret: from.secretRef.name, key: '*', via: 'envFrom' });
    for (const variable of container.env ?? []) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref) reads.push({ secret: ref.name, key: ref.key, via: `env ${variable.name}` });
    }
  }
  for (const volume of spec.volumes ?? []) {
    if (volume.secret)
      for (const key of keysOf(volume.secret))
        reads.push({ secret: volume.secret.secretName!, key, via: `volume ${volume.name}` });
    for (const source of volume.projected?.sources ?? [])
      if (source.secret)
        for (const key of keysOf(source.secret))
          reads.push({ secret: source.secret.name!, key, via: `volume ${volume.name}` });
  }
  return reads;
}

/** The Secret keys `workload` may read: its own Secret's, its signing role's, its Kafka principal's and its files'. */
export function allowedSecretKeys(
  workload: string,
  options: { signingRole?: string; kafkaPrincipal?: string },
): Record<string, readonly string[]> {
  const { signingRole: role, kafkaPrincipal } = options;
  return {
    [`surge-${workload}`]: KUBERNETES_CREDENTIALS_OF[workload] ?? [],
    ...(role
      ? {
          'surge-signing-keys': [
            `${role}.pem`,
            `${role}.key-id`,
            'decisions.public-keys',
            'observed.public-keys',
            'control.public-keys',
          ],
        }
      : {}),
    ...(kafkaPrincipal ? { 'surge-kafka-users': [kafkaPrincipal] } : {}),
    ...((OPERATOR_FACING as readonly string[]).includes(workload) ? { 'surge-operators': ['operators.yaml'] } : {}),
    ...(workload === 'virtual-queue' ? { 'surge-queue-keys': ['key-encryption'] } : {}),
    // Ingest's tokens file is a Secret of its own: every key of it is ingest's.
    ...(workload === 'metrics-ingest' ? { 'surge-ingest-tokens': ['*'] } : {}),
  };
}

/** What a workload reads beyond its own secrets; empty when it mounts only what it uses. */
export function workloadSecretProblems(
  workload: string,
  spec: PodSpecShape,
  options: { signingRole?: string } = {},
): string[] {
  const principal = spec.containers
    .flatMap((container) => container.env ?? [])
    .find((variable) => variable.name === 'KAFKA_SASL_USERNAME')?.value;
  const allowed = allowedSecretKeys(workload, { ...options, kafkaPrincipal: principal });
  return secretReads(spec)
    .filter(({ secret, key }) => !allowed[secret]?.includes(key))
    .map(({ secret, key, via }) => `${workload}: reads ${key === '*' ? 'every key' : key} of ${secret} (${via})`);
}
