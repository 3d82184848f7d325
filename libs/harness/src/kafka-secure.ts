import { randomBytes } from 'node:crypto';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import type { AclEntry } from 'kafkajs';
import { waitFor } from './wait-for';
import { DEFAULT_TOPICS, SURGE_PRINCIPALS, TOPIC_ACCESS, type SurgePrincipal } from '@surge/contracts';

export interface ScramUser {
  username: string;
  password: string;
}

/** The logins of a secure local broker: a super user for setup and one SCRAM user per Surge principal. */
export interface KafkaCredentials {
  superUser: ScramUser;
  services: Record<SurgePrincipal, ScramUser>;
}

export function newCredentials(): KafkaCredentials {
  const secret = () => randomBytes(18).toString('base64url');
  const services = Object.fromEntries(SURGE_PRINCIPALS.map((p) => [p, { username: p, password: secret() }])) as Record<
    SurgePrincipal,
    ScramUser
  >;
  return { superUser: { username: 'surge-admin', password: secret() }, services };
}

/** `kafka-storage format --add-scram` arguments: the users exist before the broker first starts. */
export function scramFormatArgs(credentials: KafkaCredentials): string[] {
  const users = [credentials.superUser, ...Object.values(credentials.services)];
  return users.flatMap((u) => ['--add-scram', `SCRAM-SHA-512=[name=${u.username},password=${u.password}]`]);
}

/** The listener, SASL and authorizer lines of a secure broker (replacing the PLAINTEXT listener lines). */
export function secureListenerProperties(brokerPort: number, controllerPort: number, admin: ScramUser): string[] {
  return [
    `listeners=SASL_PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${brokerPort}`,
    'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${admin.username}" password="${admin.password}";`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    // The controller listener is loopback-only and unauthenticated, so the broker's own controller requests
    // arrive as ANONYMOUS; clients reach only the SASL listener, where ANONYMOUS cannot occur.
    `super.users=User:${admin.username};User:ANONYMOUS`,
    'allow.everyone.if.no.acl.found=false',
  ];
}

const allow = (principal: string, resourceType: AclResourceTypes, resourceName: string, operation: AclOperationTypes) =>
  ({
    principal: `User:${principal}`,
    host: '*',
    resourceType,
    resourceName,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  }) satisfies AclEntry;

/**
 * The ACLs of TOPIC_ACCESS on the default topic names. Readers also get READ on every consumer group: group
 * names are per deployment (prefixes are configurable), the topic ACLs are what keeps a service to its data.
 */
export function surgeAcls(): AclEntry[] {
  return SURGE_PRINCIPALS.flatMap((principal) => {
    const access = TOPIC_ACCESS[principal];
    const writes = access.write.map((t) =>
      allow(principal, AclResourceTypes.TOPIC, DEFAULT_TOPICS[t], AclOperationTypes.WRITE),
    );
    const reads = access.read.map((t) =>
      allow(principal, AclResourceTypes.TOPIC, DEFAULT_TOPICS[t], AclOperationTypes.READ),
    );
    const groups = access.read.length ? [allow(principal, AclResourceTypes.GROUP, '*', AclOperationTypes.READ)] : [];
    // Surge's producers are idempotent; kafkajs asks for a producer id the old way, which this grant covers.
    const idempotent = access.write.length
      ? [allow(principal, AclResourceTypes.CLUSTER, 'kafka-cluster', AclOperationTypes.IDEMPOTENT_WRITE)]
      : [];
    return [...writes, ...reads, ...groups, ...idempotent];
  });
}

/** Creates Surge's topics and grants the ACLs, as the super user. */
export async function applySurgeAcls(brokers: string, admin: ScramUser): Promise<void> {
  const kafka = new Kafka({
    clientId: 'surge-harness-acl-setup',
    brokers: brokers.split(','),
    sasl: { mechanism: 'scram-sha-512', ...admin },
    logLevel: logLevel.NOTHING,
  });
  const client = kafka.admin();
  await client.connect();
  try {
    await client.createTopics({
      topics: Object.values(DEFAULT_TOPICS).map((topic) => ({ topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
    const acls = surgeAcls();
    await client.createAcls({ acl: acls });
    // The authorizer applies ACLs from the metadata log a moment after createAcls answers: wait until it has
    // them all, or a test's first request races the grant and is refused.
    await waitFor(
      async () => {
        const found = await client.describeAcls({
          resourceType: AclResourceTypes.ANY,
          resourcePatternType: ResourcePatternTypes.ANY,
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        });
        return found.resources.reduce((n, r) => n + r.acls.length, 0) >= acls.length;
      },
      { what: 'the Surge ACLs on the local broker', fix: 'see the broker log', timeoutMs: 20_000, intervalMs: 200 },
    );
  } finally {
    await client.disconnect();
  }
}
