import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { ensureKafkaJars } from './kafka-jars';
import { findJava } from './java';
import { killPid, type ManagedProcess, runChecked, spawnLogged, stopPid } from './managed-process';
import { freePort } from './ports';
import { repoRoot } from './repo-root';
import { waitFor } from './wait-for';

export interface KafkaClusterNode {
  nodeId: number;
  /** This node's own PLAINTEXT address. */
  broker: string;
  currentPid(): number;
}

export interface KafkaCluster {
  /** Every node's address, comma-separated, as KAFKA_BROKERS takes it. */
  brokers: string;
  nodes: KafkaClusterNode[];
  dataDir: string;
  /** SIGKILL one node (0-based index), its data kept. The others elect new leaders. */
  kill9(node: number): Promise<void>;
  /** Starts a killed node again on the same ports and data, and waits until the cluster counts it again. */
  restart(node: number): Promise<void>;
  stop(): Promise<void>;
}

export interface KafkaClusterOptions {
  /** Defaults to three, the smallest cluster where min.insync.replicas=2 survives the loss of one node. */
  size?: number;
  timeoutMs?: number;
}

interface NodePorts {
  broker: number;
  controller: number;
}

function nodeProperties(nodeId: number, dir: string, ports: NodePorts, voters: string, size: number): string {
  const replicas = Math.min(3, size);
  return [
    // Combined broker+controller nodes: the quorum lives on the same three processes a chaos test kills.
    'process.roles=broker,controller',
    `node.id=${nodeId}`,
    `listeners=PLAINTEXT://127.0.0.1:${ports.broker},CONTROLLER://127.0.0.1:${ports.controller}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.broker}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `controller.quorum.voters=${voters}`,
    `log.dirs=${path.join(dir, 'data')}`,
    'auto.create.topics.enable=false',
    'num.partitions=3',
    // acks=all with two in-sync replicas: an acknowledged record is on two disks, so one kill -9 loses nothing.
    `default.replication.factor=${replicas}`,
    `min.insync.replicas=${Math.min(2, replicas)}`,
    `offsets.topic.replication.factor=${replicas}`,
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${Math.min(2, replicas)}`,
    // A replica that missed writes must not become leader: that is how acknowledged records get lost.
    'unclean.leader.election.enable=false',
    'group.initial.rebalance.delay.ms=0',
    // Small test machine: a dead node is noticed in seconds, not the 18 s default, so leaders move quickly.
    'broker.session.timeout.ms=6000',
    'broker.heartbeat.interval.ms=1000',
    'replica.lag.time.max.ms=10000',
    '',
  ].join('\n');
}

/** How many brokers the cluster's metadata lists, asked of any node that answers. */
async function registeredBrokers(brokers: string): Promise<number> {
  const kafka = new Kafka({
    clientId: 'surge-harness-cluster-probe',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.controller === null ? 0 : cluster.brokers.length;
  } catch {
    return 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * A KRaft cluster of `size` combined broker+controller nodes from the Maven jars (the same ones startLocalKafka
 * uses), each with its own free ports and data dir under one temp dir removed on stop. Replication factor 3 and
 * min.insync.replicas=2 by default, so a producer with acks=all keeps writing through the loss of any one node.
 */
export async function startKafkaCluster(options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
  const size = options.size ?? 3;
  const java = await findJava();
  const libs = await ensureKafkaJars();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-kafka-cluster-'));
  const ports: NodePorts[] = [];
  for (let i = 0; i < size; i++) ports.push({ broker: await freePort(), controller: await freePort() });
  const voters = ports.map((p, i) => `${i + 1}@127.0.0.1:${p.controller}`).join(',');
  const brokers = ports.map((p) => `127.0.0.1:${p.broker}`).join(',');
  const idBytes = randomBytes(16);
  idBytes[0] = idBytes[0]! & 0x7f; // a leading '-' would be read as a StorageTool flag, as in kafka-local.ts
  const clusterId = idBytes.toString('base64url');
  const log4j = path.join(repoRoot(), 'tools', 'kafka', 'log4j.properties');

  const nodeDirs = ports.map((_, i) => path.join(dataDir, `node-${i + 1}`));
  const jvm = (dir: string) => [
    '-cp',
    `${libs}/*`,
    `-Dlog4j.configuration=file:${log4j}`,
    `-Dkafka.logs.dir=${dir}/logs`,
  ];
  const propsFiles = nodeDirs.map((dir, i) => {
    fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
    const file = path.join(dir, 'server.properties');
    fs.writeFileSync(file, nodeProperties(i + 1, dir, ports[i]!, voters, size));
    return file;
  });
  const fix = `see the logs under ${dataDir}`;
  // Formatting is a JVM start each: run them together rather than one after another.
  await Promise.all(
    propsFiles.map((file, i) =>
      runChecked(java, [...jvm(nodeDirs[i]!), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', file], fix),
    ),
  );

  const spawnNode = (i: number): ManagedProcess =>
    spawnLogged({
      command: java,
      args: ['-Xmx384m', '-Xms96m', ...jvm(nodeDirs[i]!), 'kafka.Kafka', propsFiles[i]!],
      logFile: path.join(nodeDirs[i]!, 'logs', 'stdout.log'),
    });
  const procs = propsFiles.map((_, i) => spawnNode(i));
  const stop = async (): Promise<void> => {
    await Promise.all(procs.map((proc, i) => stopPid(proc.pid, propsFiles[i]!, 20_000)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const allRegistered = (abort: () => string | undefined) =>
    waitFor(async () => (await registeredBrokers(brokers)) === size, {
      what: `a ${size}-node Kafka cluster at ${brokers}`,
      fix,
      timeoutMs: options.timeoutMs ?? 120_000,
      intervalMs: 500,
      abortReason: abort,
    });
  try {
    await allRegistered(() => procs.map((p) => p.exitReason()).find((reason) => reason !== undefined));
  } catch (error) {
    await stop();
    throw error;
  }
  const checkIndex = (node: number): void => {
    if (!Number.isInteger(node) || node < 0 || node >= size)
      throw new Error(`no node ${node} in a ${size}-node cluster`);
  };
  return {
    brokers,
    dataDir,
    nodes: ports.map((p, i) => ({
      nodeId: i + 1,
      broker: `127.0.0.1:${p.broker}`,
      currentPid: () => procs[i]!.pid,
    })),
    kill9: async (node) => {
      checkIndex(node);
      await killPid(procs[node]!.pid, propsFiles[node]!);
    },
    restart: async (node) => {
      checkIndex(node);
      const proc = spawnNode(node);
      procs[node] = proc;
      await allRegistered(proc.exitReason);
    },
    stop,
  };
}
