/** Polls a service's /health/ready in the background, so recovery is timed from what the service answered. */
export interface ReadinessWatch {
  /** First moment at or after `since` from which the service answered ready, or undefined. */
  readySince(since: number): number | undefined;
  /** Whether the service answered not-ready at least once between `from` and `to`. */
  notReadyBetween(from: number, to: number): boolean;
  stop(): void;
}

export function watchReadiness(url: () => string, intervalMs = 250): ReadinessWatch {
  const samples: { at: number; ready: boolean }[] = [];
  let running = true;
  void (async () => {
    while (running) {
      const at = Date.now();
      const ready = await fetch(`${url()}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
        (res) => res.ok,
        () => false,
      );
      samples.push({ at, ready });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })().catch((error: Error) => {
    // A watch that cannot go on stops sampling: readySince() then says "not ready", never a crash of the drill.
    running = false;
    process.stderr.write(`readiness watch stopped: ${error.message}\n`);
  });
  return {
    readySince: (since) => samples.find((sample) => sample.at >= since && sample.ready)?.at,
    notReadyBetween: (from, to) => samples.some((sample) => sample.at >= from && sample.at <= to && !sample.ready),
    stop: () => {
      running = false;
    },
  };
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `check` holds or `timeoutMs` passed; returns whether it held. */
export async function eventually(check: () => boolean, timeoutMs: number, intervalMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
  return true;
}
