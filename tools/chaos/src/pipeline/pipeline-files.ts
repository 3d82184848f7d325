import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const WEB = { kind: 'Deployment', id: 'shop/web', setting: 'replicas', start: 2 } as const;
export const API = { kind: 'Deployment', id: 'shop/api', setting: 'replicas', start: 2 } as const;
export const ROOM = { kind: 'VirtualQueue', id: 'chaos/room', setting: 'maxActive', start: 20, name: 'chaos' } as const;
/** The metric of the rules engine's policy on shop/api: its value divided by 10 is the wanted replica count. */
export const LOAD_METRIC = 'chaos_load';

/**
 * The files `npm start` would point the services at, for the pipeline's own targets: the executors' targets file
 * (two workloads of the Kubernetes stand-in), the rooms file (one room, its state in the pipeline's Redis) and a
 * policy directory (target tracking on shop/api, so the rules engine decides while the suite plays the rest).
 */
export function writePipelineFiles(dir: string): { targetsFile: string; roomsFile: string; policiesDir: string } {
  const policiesDir = path.join(dir, 'policies');
  mkdirSync(policiesDir, { recursive: true });
  const targetsFile = path.join(dir, 'targets.yaml');
  writeFileSync(
    targetsFile,
    [
      'namespaces: [shop]',
      'targets:',
      `  - { id: ${WEB.id}, kind: Deployment, connection: { env: CHAOS_KUBECONFIG }, bounds: { min: 1, max: 1000 } }`,
      `  - { id: ${API.id}, kind: Deployment, connection: { env: CHAOS_KUBECONFIG }, bounds: { min: 1, max: 1000 } }`,
      '',
    ].join('\n'),
  );
  const roomsFile = path.join(dir, 'rooms.yaml');
  writeFileSync(
    roomsFile,
    `rooms:\n  ${ROOM.name}:\n    mode: queue\n    maxActive: ${ROOM.start}\n    admitPerMinute: 600\n    targetId: ${ROOM.id}\n`,
  );
  writeFileSync(
    path.join(policiesDir, 'chaos-api.yaml'),
    [
      'apiVersion: surge.dev/v1',
      'kind: ScalingPolicy',
      'metadata: { name: chaos-api }',
      'spec:',
      `  target: { id: ${API.id}, kind: Deployment, namespace: shop, name: api }`,
      '  minReplicas: 1',
      '  maxReplicas: 1000',
      `  metrics: [{ metric: ${LOAD_METRIC}, target: { type: AverageValue, averageValue: 10 } }]`,
      // Down as fast as up, so the feeder's load keeps the engine deciding both ways within an experiment.
      '  behavior: { scaleDown: { stabilizationWindowSeconds: 0 } }',
      '',
    ].join('\n'),
  );
  return { targetsFile, roomsFile, policiesDir };
}
