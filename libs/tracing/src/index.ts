export * from './surge-tracing';
export * from './trace-carrier';
export * from './tracing.module';
