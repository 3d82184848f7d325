// Test-only entry point (@surge/executor-framework/testing): the package's main index never re-exports it,
// so an executor at boot does not load a stand-in Kubernetes API or the Kafka test bed.
export * from './executor-test-bed';
export * from './kube-api.stand-in';
