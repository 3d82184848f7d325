import fs from 'node:fs';
import { ContractViolation, decode, metricSample } from '@surge/contracts';

export interface TraceSample {
  target: string;
  metric: string;
  value: number;
  timestamp: number;
  line: number;
}

export class TraceError extends Error {}

/**
 * Reads a surge trace: one JSON sample per line, `{timestamp, target, metric, value}` with the timestamp in
 * ISO 8601 or epoch ms. Blank lines and `#` comments are skipped; a bad line stops the run with its number.
 */
export function readTrace(file: string): TraceSample[] {
  const samples: TraceSample[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((raw, index) => {
    const text = raw.trim();
    if (!text || text.startsWith('#')) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new TraceError(`${file}:${index + 1}: not JSON: ${(error as Error).message}`);
    }
    try {
      const sample = decode('trace sample', metricSample, json);
      samples.push({
        target: sample.target,
        metric: sample.metric,
        value: sample.value,
        timestamp: sample.timestamp,
        line: index + 1,
      });
    } catch (error) {
      if (error instanceof ContractViolation)
        throw new TraceError(`${file}:${index + 1}: ${error.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
      throw error;
    }
  });
  // The clock only moves forward: a trace merged from several sources is ordered by event time, stably.
  return samples
    .map((sample, order) => ({ sample, order }))
    .sort((a, b) => a.sample.timestamp - b.sample.timestamp || a.order - b.order)
    .map(({ sample }) => sample);
}
