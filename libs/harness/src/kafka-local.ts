import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { defaultKafkaLine, ensureKafkaJars, kafkaLoggingArgs, type KafkaLine } from './kafka-jars';
import { findJava } from './java';
import { kafkaAnswers } from './kafka-probe';
import {
  applySurgeAcls,
  newCredentials,
  scramFormatArgs,
  secureListenerProperties,
  type KafkaCredentials,
} from './kafka-secure';
import { killPid, runChecked, spawnLogged, stopPid } from './managed-process';
import { freePort } from './ports';
import { waitFor } from './wait-for';

export interface LocalKafka {
  brokers: string;
  /** The broker's pid at start; after restart() see currentPid(). */
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
  /** For outage tests: the broker is killed with SIGKILL, its data kept. */
  kill9(): Promise<void>;
  /** Starts the broker again on the same ports and data after kill9(), and waits until it answers. */
  restart(): Promise<void>;
  currentPid(): number;
  /** With `secure: true`: the super user's and each Surge principal's SCRAM-SHA-512 login. */
  credentials?: KafkaCredentials;
}

export interface LocalKafkaOptions {
  /** Wiped and formatted anew: a KRaft log dir belongs to one cluster id. Defaults to a temp dir removed on stop. */
  dataDir?: string;
  detached?: boolean;
  timeoutMs?: number;
  /**
   * A SASL_PLAINTEXT SCRAM-SHA-512 listener instead of PLAINTEXT, the StandardAuthorizer, one SCRAM user per
   * Surge principal, Surge's topics created and the ACLs of the contracts' TOPIC_ACCESS granted.
   */
  secure?: boolean;
  /** The Kafka release line; defaults to defaultKafkaLine() (3.9, or 4.1 in the kafka4 test tier). */
  line?: KafkaLine;
}

function serverProperties(
  dataDir: string,
  brokerPort: number,
  controllerPort: number,
  credentials?: KafkaCredentials,
): string {
  const listeners = credentials
    ? secureListenerProperties(brokerPort, controllerPort, credentials.superUser)
    : [
        `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      ];
  return [
    'process.roles=broker,controller',
    'node.id=1',
    ...listeners,
    'controller.listener.names=CONTROLLER',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `log.dirs=${path.join(dataDir, 'data')}`,
    // Surge creates its topics explicitly at start-up; auto-creation would hide a missing ensureTopics call.
    'auto.create.topics.enable=false',
    'num.partitions=3',
    // One broker: internal topics cannot have more replicas than that.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    // The default 3 s delay makes every test's first consumer group join wait for nothing.
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');
}

/** A single-node KRaft broker from the Maven jars: formatted storage, free ports, its own data dir. */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const java = await findJava();
  const line = options.line ?? defaultKafkaLine();
  const libs = await ensureKafkaJars(line);
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'surge-kafka-'));
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  const [brokerPort, controllerPort] = [await freePort(), await freePort()];
  const propsFile = path.join(dataDir, 'server.properties');
  const credentials = options.secure ? newCredentials() : undefined;
  fs.writeFileSync(propsFile, serverProperties(dataDir, brokerPort, controllerPort, credentials));

  const jvm = ['-cp', `${libs}/*`, ...kafkaLoggingArgs(line, path.join(dataDir, 'logs'))];
  const idBytes = randomBytes(16);
  // A cluster id starting with '-' would be read as a CLI flag by StorageTool: keep the first base64 digit a letter.
  idBytes[0] = idBytes[0]! & 0x7f;
  const clusterId = idBytes.toString('base64url');
  const fix = `see ${path.join(dataDir, 'logs')} or set KAFKA_BROKERS`;
  await runChecked(
    java,
    [
      ...jvm,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      propsFile,
      ...(credentials ? scramFormatArgs(credentials) : []),
    ],
    fix,
  );

  const spawnBroker = () =>
    spawnLogged({
      command: java,
      args: ['-Xmx512m', '-Xms128m', ...jvm, 'kafka.Kafka', propsFile],
      logFile: path.join(dataDir, 'logs', 'stdout.log'),
      detached: options.detached,
    });
  let proc = spawnBroker();
  const brokers = `127.0.0.1:${brokerPort}`;
  const stop = async (): Promise<void> => {
    await stopPid(proc.pid, propsFile, 20_000);
    if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const answering = () =>
    waitFor(
      () => kafkaAnswers(brokers, 2_000, credentials && { mechanism: 'scram-sha-512', ...credentials.superUser }),
      {
        what: `Kafka at ${brokers}`,
        fix,
        timeoutMs: options.timeoutMs ?? 90_000,
        intervalMs: 500,
        abortReason: proc.exitReason,
      },
    );
  try {
    await answering();
    if (credentials) await applySurgeAcls(brokers, credentials.superUser);
  } catch (error) {
    await stop();
    throw error;
  }
  const kill9 = async (): Promise<void> => {
    await killPid(proc.pid, propsFile);
  };
  const restart = async (): Promise<void> => {
    proc = spawnBroker();
    await answering();
  };
  return { brokers, pid: proc.pid, dataDir, stop, kill9, restart, currentPid: () => proc.pid, credentials };
}
