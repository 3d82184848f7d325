export * from './create-kafka';
export * from './ensure-topics';
export * from './surge-producer';
export * from './dead-letter';
export * from './consumer-options';
export * from './run-consumer';
export * from './json-decoder';
export * from './consumer-metrics';
