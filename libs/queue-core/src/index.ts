export * from './room-config';
export * from './eta';
export * from './token-claims';
export * from './queue-layout';
export * from './decision-patch';
export * from './rooms-file';
export * from './room-sources';
export * from './join-challenge';
