/** Raised when a service does not come up in time; the message always ends with the fix a person can apply. */
export class HarnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessError';
  }
}

export interface WaitOptions {
  /** What we wait for, e.g. "Kafka at 127.0.0.1:9092". */
  what: string;
  /** One line telling how to fix it, e.g. "see .surge/kafka/logs/server.log or set KAFKA_BROKERS". */
  fix: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Lets a caller stop early, e.g. when the process it waits for has exited. */
  abortReason?: () => string | undefined;
}

/** Polls `check` until it resolves true; each attempt's error is kept so the timeout says why it failed last. */
export async function waitFor(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    const aborted = options.abortReason?.();
    if (aborted) throw new HarnessError(`${options.what} failed: ${aborted}. Fix: ${options.fix}`);
    if (Date.now() >= deadline) {
      const detail = lastError ? ` (last error: ${lastError})` : '';
      throw new HarnessError(
        `${options.what} did not answer within ${options.timeoutMs} ms${detail}. Fix: ${options.fix}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}
