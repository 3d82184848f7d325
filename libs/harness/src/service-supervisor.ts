import { CONFIG_ERROR_EXIT_CODE } from '@surge/config';
import { DEFAULT_RESTART_BACKOFF, type RestartBackoff, restartDelayMs } from './restart-backoff';
import { describeExit, type RunningService, ServiceExitedError, stopService } from './service-process';

export type SupervisorState = 'running' | 'restarting' | 'given-up' | 'stopped';

export interface SupervisorOptions {
  backoff?: Partial<RestartBackoff>;
  /** Where the supervisor's console lines go; stdout by default. */
  say?: (line: string) => void;
}

/**
 * Keeps one service running while `npm start` runs: a service that exits (a crash, a kill -9) is started again
 * after a capped exponential backoff, and the console says so. A service that exits because its configuration is
 * invalid (CONFIG_ERROR_EXIT_CODE) is left down: the same environment would fail the same way, forever.
 * Nothing is restarted once stop() is called, so a shutdown is never fought.
 */
export class ServiceSupervisor {
  private readonly backoff: RestartBackoff;
  private readonly say: (line: string) => void;
  private current: RunningService | null = null;
  private lastLogFile: string | null = null;
  private startedAt = 0;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private restarting: Promise<void> | null = null;
  private stopping = false;
  private gaveUp = false;

  constructor(
    readonly name: string,
    private readonly launch: () => Promise<RunningService>,
    options: SupervisorOptions = {},
  ) {
    this.backoff = { ...DEFAULT_RESTART_BACKOFF, ...options.backoff };
    this.say = options.say ?? ((line) => process.stdout.write(`${line}\n`));
  }

  /** The running process, or null while it is down. */
  get service(): RunningService | null {
    return this.current;
  }

  get state(): SupervisorState {
    if (this.stopping) return 'stopped';
    if (this.gaveUp) return 'given-up';
    return this.current ? 'running' : 'restarting';
  }

  /** The first start: its failure is the caller's (npm start stops everything), not a reason to retry. */
  async start(): Promise<RunningService> {
    const service = await this.launch();
    this.watch(service);
    return service;
  }

  /**
   * From now on an exit is final. A shutdown calls this on every supervisor first: a service that exits while
   * the ones after it are being stopped must not be brought back.
   */
  holdRestarts(): void {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops the service and cancels any pending restart; a restart already under way is awaited, then stopped. */
  async stop(): Promise<void> {
    this.holdRestarts();
    await this.restarting;
    if (this.current) await stopService(this.current);
  }

  private watch(service: RunningService): void {
    this.current = service;
    this.lastLogFile = service.logFile;
    this.startedAt = Date.now();
    service.child.once('exit', (code, signal) => {
      if (this.current !== service) return;
      this.current = null;
      if (this.stopping) return;
      // A minute of uptime means the last crash is history: back to the short delay.
      if (Date.now() - this.startedAt >= this.backoff.stableAfterMs) this.attempt = 0;
      this.scheduleRestart(`exited (${describeExit(code, signal)})`, code);
    });
  }

  private scheduleRestart(what: string, exitCode: number | null): void {
    if (exitCode === CONFIG_ERROR_EXIT_CODE) {
      this.gaveUp = true;
      this.say(
        `surge: ${this.name} ${what}: its configuration is invalid, so it is not restarted; ` +
          `fix it and run npm start again (log: ${this.lastLogFile})`,
      );
      return;
    }
    this.attempt += 1;
    const delayMs = restartDelayMs(this.attempt, this.backoff);
    this.say(`surge: ${this.name} ${what}; restarting in ${delayMs / 1000} s (attempt ${this.attempt})`);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.restarting = this.restart()
        .catch((error: unknown) => this.say(`surge: ${this.name} restart failed: ${(error as Error).message}`))
        .finally(() => (this.restarting = null));
    }, delayMs);
  }

  private async restart(): Promise<void> {
    let service: RunningService;
    try {
      service = await this.launch();
    } catch (error) {
      if (this.stopping) return;
      if (error instanceof ServiceExitedError) {
        this.scheduleRestart(`exited (${describeExit(error.exitCode, error.signal)}) on restart`, error.exitCode);
      } else {
        this.scheduleRestart(`did not get ready (${(error as Error).message.split('\n')[0]})`, null);
      }
      return;
    }
    if (this.stopping) {
      await stopService(service);
      return;
    }
    this.watch(service);
    this.say(`surge: ${this.name} ready again at ${service.url}`);
  }
}
