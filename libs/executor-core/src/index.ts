export * from './bounds.policy';
export * from './targets-file.schema';
export * from './target-catalog';
export * from './guardrails.policy';
export * from './staleness.policy';
export * from './idempotence.policy';
export * from './retry.policy';
