import { type ChildProcess, fork } from 'node:child_process';

export type ReplicaState = 'starting' | 'ready' | 'draining' | 'stopped';

export interface ReplicaSpawn {
  /** The built demo-shop entry (dist/apps/demo-shop/src/main.js). */
  entry: string;
  env: NodeJS.ProcessEnv;
  readyTimeoutMs: number;
}

/**
 * One copy of the shop. The child binds a free port itself (PORT=0) and sends it back over IPC when its schema is
 * in place: no port is guessed, so two pools or two test runs never collide.
 */
export class ReplicaProcess {
  state: ReplicaState = 'starting';
  port = 0;
  /** Requests the proxy has sent to this copy and not yet seen answered. */
  proxyInflight = 0;
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(
    readonly id: string,
    spawn: ReplicaSpawn,
  ) {
    this.child = fork(spawn.entry, [], {
      env: { ...spawn.env, PORT: '0' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  waitReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`replica ${this.id} not ready within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        this.child.kill('SIGKILL');
        reject(error);
      };
      this.child.on('message', (message: { type?: string; port?: number }) => {
        if (message?.type !== 'ready' || typeof message.port !== 'number') return;
        clearTimeout(timer);
        this.port = message.port;
        this.state = 'ready';
        resolve();
      });
      void this.exited
        .then((code) => fail(new Error(`replica ${this.id} exited with code ${code} before it was ready`)))
        .catch(reject);
    });
  }

  /** The copy's own count of requests it is handling, asked just before stopping it. */
  async selfReportedInflight(): Promise<number> {
    const response = await fetch(`${this.baseUrl}/stats`, { signal: AbortSignal.timeout(2000) });
    return ((await response.json()) as { inflight: number }).inflight;
  }

  /** SIGTERM lets the shop finish what it holds; SIGKILL only if it overstays `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.state = 'stopped';
  }
}
