export * from './api-schemas';
export * from './guard-documentation';
export * from './openapi-document';
export * from './serve-openapi';
export * from './zod-json-schema';
