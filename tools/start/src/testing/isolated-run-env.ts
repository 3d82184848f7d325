/**
 * What keeps an `npm start` under test apart from any other run on the shared Kafka, Redis and PostgreSQL: its
 * own schemas, key prefixes and consumer groups, so it neither reads another run's state nor takes its partitions.
 */
export function isolatedRunEnv(run: string): Record<string, string> {
  return {
    SURGE_AUDIT_SCHEMA: `surge_audit_${run}`,
    SURGE_SHOP_SCHEMA: `surge_demo_${run}`,
    VQ_KEY_PREFIX: `${run}:vq:`,
    SURGE_RULES_REDIS_PREFIX: `${run}:rules:`,
    SURGE_EXECUTOR_KEY_PREFIX: `${run}:exec:`,
    SURGE_AUDIT_GROUP_ID: `${run}-audit-log`,
    SURGE_RULES_GROUP_ID: `${run}-rules-engine`,
    VQ_DECISION_GROUP: `${run}-virtual-queue`,
    SURGE_NOTIFIER_GROUP_ID: `${run}-notifier`,
    SURGE_NOTIFIER_REDIS_KEY: `${run}:notifier:firing`,
  };
}
