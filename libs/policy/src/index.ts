export * from './policy.types';
export * from './policy.schema';
export * from './policy-error';
export * from './policy-version';
export * from './parse-policy';
export * from './behavior.defaults';
export * from './duration';
export * from './expression';
export { conditionMetrics } from './condition.schema';
