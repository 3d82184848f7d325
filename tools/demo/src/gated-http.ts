import type { GateRefusal, RequestGate } from './request.gate';

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
  ms: number;
  retryAfterSeconds: number | null;
}

export type GatedResult = { answer: HttpAnswer } | { refused: GateRefusal } | { error: string; ms: number };

/** Every request of the demo goes through the gate; network failures come back as values, not exceptions. */
export async function gatedFetch(
  gate: RequestGate,
  url: string,
  init: RequestInit,
  mode: 'shed' | 'wait',
): Promise<GatedResult> {
  const refusal = mode === 'shed' ? gate.tryEnter() : await gate.enter();
  if (refusal) return { refused: refusal };
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { text: text.slice(0, 200) };
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      answer: {
        status: response.status,
        body,
        ms: performance.now() - started,
        retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      },
    };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), ms: performance.now() - started };
  } finally {
    gate.leave();
  }
}

export const jsonPost = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
