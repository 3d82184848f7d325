import { Logger } from '@nestjs/common';
import type { DrainRecord } from './drain-record';
import { ReplicaProcess, type ReplicaSpawn } from './replica.process';

export interface SupervisorOptions {
  spawn: ReplicaSpawn;
  drainTimeoutMs: number;
  stopGraceMs: number;
  /** Pause before trying again after a copy failed to start, so a broken build does not fork in a loop. */
  restartBackoffMs: number;
}

export interface PoolStatus {
  desired: number;
  ready: number;
  starting: number;
  draining: number;
  replicas: { id: string; pid: number | undefined; port: number; state: string; proxyInflight: number }[];
  drains: DrainRecord[];
}

const KEPT_DRAIN_RECORDS = 50;

/**
 * Keeps N copies of the shop running, like a ReplicaSet on one host. Reconciliation is serialised: a new desired
 * count arriving mid-way is picked up by the next pass, never by two passes racing over the same copies.
 */
export class PoolSupervisor {
  private readonly logger = new Logger(PoolSupervisor.name);
  private replicas: ReplicaProcess[] = [];
  private readonly drains: DrainRecord[] = [];
  private desired = 0;
  private sequence = 0;
  private cursor = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly options: SupervisorOptions) {}

  /** Resolves once a reconcile pass has brought the pool to `replicas` (or the latest count asked since). */
  scaleTo(replicas: number): Promise<void> {
    this.desired = replicas;
    return this.reconcile();
  }

  /** Round robin over ready copies; the caller must count the request on the copy in the same tick. */
  pick(): ReplicaProcess | null {
    const ready = this.replicas.filter((r) => r.state === 'ready');
    if (ready.length === 0) return null;
    this.cursor = (this.cursor + 1) % ready.length;
    return ready[this.cursor]!;
  }

  readyCount(): number {
    return this.replicas.filter((r) => r.state === 'ready').length;
  }

  readyPids(): number[] {
    return this.replicas.filter((r) => r.state === 'ready' && r.pid !== undefined).map((r) => r.pid!);
  }

  status(): PoolStatus {
    const count = (state: string) => this.replicas.filter((r) => r.state === state).length;
    return {
      desired: this.desired,
      ready: count('ready'),
      starting: count('starting'),
      draining: count('draining'),
      replicas: this.replicas.map((r) => ({
        id: r.id,
        pid: r.pid,
        port: r.port,
        state: r.state,
        proxyInflight: r.proxyInflight,
      })),
      drains: [...this.drains],
    };
  }

  async close(): Promise<void> {
    await this.scaleTo(0);
    this.closed = true;
  }

  private reconcile(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    // eslint-disable-next-line no-restricted-syntax -- returned: every caller awaits or catches the pass it joins.
    this.running = (async () => {
      do {
        this.again = false;
        await this.reconcileOnce();
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async reconcileOnce(): Promise<void> {
    const live = this.replicas.filter((r) => r.state === 'starting' || r.state === 'ready');
    if (live.length < this.desired) {
      const started = await Promise.allSettled(
        Array.from({ length: this.desired - live.length }, () => this.startReplica()),
      );
      if (started.some((s) => s.status === 'rejected')) {
        await new Promise((resolve) => setTimeout(resolve, this.options.restartBackoffMs));
        this.again = true;
      }
    } else if (live.length > this.desired) {
      // Newest first: the oldest copies have warm connection pools, so they are the ones worth keeping.
      const surplus = live.slice(this.desired).reverse();
      await Promise.all(surplus.map((r) => this.drainAndStop(r)));
    }
  }

  private async startReplica(): Promise<void> {
    const replica = new ReplicaProcess(`shop-${++this.sequence}`, this.options.spawn);
    this.replicas.push(replica);
    void replica.exited
      .then((code) => this.onExit(replica, code))
      .catch((error: Error) => this.logger.error(`${replica.id} exit not handled: ${error.message}`));
    try {
      await replica.waitReady(this.options.spawn.readyTimeoutMs);
      this.logger.log(`${replica.id} ready on port ${replica.port} (pid ${replica.pid})`);
    } catch (error) {
      this.logger.error((error as Error).message);
      this.replicas = this.replicas.filter((r) => r !== replica);
      throw error;
    }
  }

  /** Stop routing first, then wait for the proxy's requests to this copy to finish, then stop it. */
  private async drainAndStop(replica: ReplicaProcess): Promise<void> {
    const started = Date.now();
    replica.state = 'draining';
    while (replica.proxyInflight > 0 && Date.now() - started < this.options.drainTimeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const timedOut = replica.proxyInflight > 0;
    const inflightAtStop = await replica.selfReportedInflight().catch(() => -1);
    await replica.stop(this.options.stopGraceMs);
    this.replicas = this.replicas.filter((r) => r !== replica);
    const record: DrainRecord = {
      replicaId: replica.id,
      inflightAtStop,
      drainMs: Date.now() - started,
      timedOut,
      stoppedAt: Date.now(),
    };
    this.drains.push(record);
    if (this.drains.length > KEPT_DRAIN_RECORDS) this.drains.shift();
    this.logger.log(
      `${replica.id} drained in ${record.drainMs} ms, ${inflightAtStop} in flight at stop${timedOut ? ' (drain timed out)' : ''}`,
    );
  }

  /** A copy that dies on its own is replaced, as a ReplicaSet would. */
  private onExit(replica: ReplicaProcess, code: number | null): void {
    // Copies being drained or failing their start are dealt with by the pass that handles them.
    if (!this.replicas.includes(replica) || replica.state !== 'ready') return;
    replica.state = 'stopped';
    this.replicas = this.replicas.filter((r) => r !== replica);
    this.logger.warn(`${replica.id} exited unexpectedly with code ${code}; replacing it`);
    if (!this.closed)
      void this.reconcile().catch((error: Error) =>
        this.logger.error(`cannot replace ${replica.id}: ${error.message}`),
      );
  }
}
