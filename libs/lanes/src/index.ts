export * from './target-lanes';
