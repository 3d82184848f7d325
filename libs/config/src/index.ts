export * from './load-config';
export * from './env-fragments';
export * from './describe-config';
export * from './topic-env';
export * from './signing-env';
export * from './kafka-security-env';
export * from './config-exit-code';
export * from './configuration-error';
