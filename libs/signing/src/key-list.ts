import type { KeyObject } from 'node:crypto';
import { parsePublicKey } from './keys';

/**
 * Parses `id=key,id=key` (keys as base64 SPKI DER, which has no commas or equals signs except trailing padding).
 * A duplicate id is an error: which key would win is exactly the ambiguity a trust list must not have.
 */
export function parsePublicKeyList(text: string): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const entry of text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new Error(`public key entry "${entry.slice(0, 20)}…" is not id=key`);
    const id = entry.slice(0, eq).trim();
    if (keys.has(id)) throw new Error(`public key id "${id}" listed twice`);
    keys.set(id, parsePublicKey(entry.slice(eq + 1).trim()));
  }
  return keys;
}
