import type { SignerRole, SigningKeySet } from '@surge/signing';

/** The Surge services `npm start` (tools/start) and `npm run chaos` (tools/chaos) run, in start order; shutdown goes in reverse. */
export interface ServiceSpec {
  name: string;
  /** The built entry point under dist/. */
  entry: string;
  defaultPort: number;
  /** The role whose key signs its steering messages; none for a service that writes no steering topic. */
  signer?: SignerRole;
  /** Shown in the URL table. */
  paths: { label: string; path: string; port?: 'shop' }[];
}

// The audit log starts first so it records everything from the first decision on; ingest and the queue come
// before the rules engine so the samples it needs exist; the LocalPool supervisor last, as it reports to ingest.
export const SERVICES: ServiceSpec[] = [
  {
    name: 'audit-log',
    entry: 'dist/apps/audit-log/src/main.js',
    defaultPort: 8080,
    // It hosts the control plane, whose events it signs.
    signer: 'control-plane',
    paths: [{ label: 'console', path: '/' }],
  },
  {
    // Right after the audit log: the rules engine's first alert finds the one part that delivers it.
    name: 'notifier',
    entry: 'dist/apps/notifier/src/main.js',
    defaultPort: 8087,
    paths: [],
  },
  {
    name: 'metrics-ingest',
    entry: 'dist/apps/metrics-ingest/src/main.js',
    defaultPort: 8081,
    paths: [{ label: 'POST samples', path: '/v1/samples' }],
  },
  {
    name: 'virtual-queue',
    entry: 'dist/apps/virtual-queue/src/main.js',
    defaultPort: 8090,
    signer: 'executor',
    paths: [{ label: 'waiting room', path: '/rooms/tickets' }],
  },
  {
    name: 'rules-engine',
    entry: 'dist/apps/rules-engine/src/main.js',
    defaultPort: 8082,
    signer: 'rules-engine',
    paths: [],
  },
  {
    name: 'executor-k8s',
    entry: 'dist/apps/executor-k8s/src/main.js',
    defaultPort: 8083,
    signer: 'executor',
    paths: [],
  },
  {
    name: 'executor-database',
    entry: 'dist/apps/executor-database/src/main.js',
    defaultPort: 8084,
    signer: 'executor',
    paths: [],
  },
  {
    name: 'executor-cache',
    entry: 'dist/apps/executor-cache/src/main.js',
    defaultPort: 8085,
    signer: 'executor',
    paths: [],
  },
  {
    name: 'local-pool',
    entry: 'dist/apps/local-pool/src/main.js',
    defaultPort: 8071,
    paths: [{ label: 'ticket shop (proxy)', path: '/', port: 'shop' }],
  },
  {
    name: 'executor-localpool',
    entry: 'dist/apps/executor-localpool/src/main.js',
    defaultPort: 8086,
    signer: 'executor',
    paths: [],
  },
  {
    // After local-pool: the shop's admin API it drives sits behind the pool's proxy.
    name: 'executor-http',
    entry: 'dist/apps/executor-http/src/main.js',
    defaultPort: 8088,
    signer: 'executor',
    paths: [],
  },
];

export const SHOP_PROXY_PORT = 8070;

/**
 * A service's signing settings from a run's key set: its role's private key (from `keyFile` when the caller wrote
 * one) and every trust list; for a service without a role, only the trust lists.
 */
export function signingEnvOf(spec: ServiceSpec, keys: SigningKeySet, keyFile?: string): NodeJS.ProcessEnv {
  return keys.envFor(spec.signer, keyFile);
}
