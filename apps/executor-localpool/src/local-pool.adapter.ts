import {
  type ApplyContext,
  type Executor,
  ExecutorError,
  ExecutorErrorCode,
  type ResolvedTarget,
} from '@surge/executor-framework';

interface PoolStatus {
  desired: number;
  ready: number;
  starting: number;
  draining: number;
}

const SETTING = 'replicas';

/**
 * LocalPool: copies of a service run as processes on one host by the local-pool supervisor, resized through its
 * admin API (the target's connection is that API's base URL). Replicas are counted as ready copies, like
 * Kubernetes' status.readyReplicas, so a copy still starting or draining does not count as capacity.
 */
export class LocalPoolAdapter implements Executor {
  readonly kinds = ['LocalPool'] as const;

  constructor(
    private readonly adminToken: string,
    private readonly timeoutMs = 5000,
  ) {}

  async read(target: ResolvedTarget, setting: string): Promise<number> {
    this.assertSetting(target, setting);
    return (await this.status(target)).ready;
  }

  async apply(target: ResolvedTarget, setting: string, value: number, _ctx: ApplyContext): Promise<void> {
    this.assertSetting(target, setting);
    await this.call(target, 'PUT', { replicas: value });
  }

  async observe(target: ResolvedTarget): Promise<Record<string, number>> {
    const status = await this.status(target);
    return { replicas: status.ready, replicas_desired: status.desired };
  }

  private assertSetting(target: ResolvedTarget, setting: string): void {
    if (setting !== SETTING)
      throw new ExecutorError(
        ExecutorErrorCode.Refused,
        `${target.entry.id}: LocalPool only sets ${SETTING}, not ${setting}`,
      );
  }

  private status(target: ResolvedTarget): Promise<PoolStatus> {
    return this.call(target, 'GET') as Promise<PoolStatus>;
  }

  private async call(target: ResolvedTarget, method: 'GET' | 'PUT', body?: object): Promise<unknown> {
    if (!target.connection)
      throw new ExecutorError(
        ExecutorErrorCode.NotFound,
        `${target.entry.id}: no connection (the pool admin URL) in the targets file`,
      );
    let response: Response;
    try {
      response = await fetch(new URL('/v1/pool', target.connection), {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.adminToken}` },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ExecutorError(
        ExecutorErrorCode.Unavailable,
        `${target.entry.id}: pool admin API unreachable: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const text = await response.text();
    if (response.ok) return JSON.parse(text);
    const message = `${target.entry.id}: pool admin API answered ${response.status}: ${text.slice(0, 300)}`;
    if (response.status === 401 || response.status === 403)
      throw new ExecutorError(ExecutorErrorCode.Forbidden, message);
    if (response.status === 400) throw new ExecutorError(ExecutorErrorCode.Refused, message);
    if (response.status === 404) throw new ExecutorError(ExecutorErrorCode.NotFound, message);
    throw new ExecutorError(ExecutorErrorCode.Unavailable, message);
  }
}
