export * from './load-config';
export * from './env-fragments';
export * from './describe-config';
