import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@surge/config';
import { toFieldIssues } from '@surge/contracts';
import { parse } from 'yaml';
import type { NotifierConfig } from '../config/notifier.config';
import type { ReceiverSettings } from './receiver-settings';
import { type ReceiverEntry, receiversFileSchema } from './receivers-file.schema';

/** The receivers file, or a secret it names, cannot be used: the operator's to fix, the boot stops. */
export class ReceiversFileError extends ConfigurationError {
  override readonly name = 'ReceiversFileError';
}

const PLACEHOLDER = /^(change-?me|replace-?me|placeholder|todo|secret|token|example|dummy|x+|<.*>)$/i;
// Shorter than this, an HMAC key is guessable; 32 hex characters is what `openssl rand -hex 16` gives.
const MIN_HMAC_KEY_LENGTH = 16;

/**
 * The receivers in force, read once at boot: the receivers file's, plus one `alertmanager` receiver for
 * ALERTMANAGER_URL (the simple case, as before the file existed). Every bad field and secret is named at once.
 */
export function loadReceivers(config: NotifierConfig): ReceiverSettings[] {
  const receivers: ReceiverSettings[] = [];
  if (config.ALERTMANAGER_URL)
    receivers.push({ name: 'alertmanager', type: 'alertmanager', url: config.ALERTMANAGER_URL, match: {} });
  if (config.SURGE_NOTIFIER_RECEIVERS_FILE) receivers.push(...readReceiversFile(config.SURGE_NOTIFIER_RECEIVERS_FILE));
  if (receivers.length === 0)
    throw new ReceiversFileError('set ALERTMANAGER_URL, SURGE_NOTIFIER_RECEIVERS_FILE or both: alerts need a receiver');
  const seen = new Set<string>();
  for (const { name } of receivers) {
    if (seen.has(name))
      throw new ReceiversFileError(
        `receiver "${name}" is named twice${name === 'alertmanager' ? ' (ALERTMANAGER_URL is the receiver "alertmanager")' : ''}`,
      );
    seen.add(name);
  }
  return receivers;
}

export function readReceiversFile(path: string): ReceiverSettings[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReceiversFileError(`Cannot read receivers file ${path}: ${(error as Error).message}`);
  }
  const result = receiversFileSchema.safeParse(raw);
  if (!result.success) {
    const issues = toFieldIssues(result.error).map((i) => `${i.path}: ${i.message}`);
    throw new ReceiversFileError(`Invalid receivers file ${path}: ${issues.join('; ')}`);
  }
  const problems: string[] = [];
  const receivers = result.data.receivers.map((entry, index) => {
    const secret = entry.type === 'alertmanager' ? undefined : readSecret(entry, `receivers.${index}`, problems);
    return { name: entry.name, type: entry.type, url: entry.url, match: entry.match ?? {}, secret };
  });
  if (problems.length > 0) throw new ReceiversFileError(`Invalid receivers file ${path}: ${problems.join('; ')}`);
  return receivers;
}

function readSecret(entry: Exclude<ReceiverEntry, { type: 'alertmanager' }>, at: string, problems: string[]) {
  let secret: string;
  try {
    secret = readFileSync(entry.secretFile, 'utf8').trim();
  } catch (error) {
    problems.push(`${at}.secretFile: cannot read ${entry.secretFile}: ${(error as Error).message}`);
    return undefined;
  }
  if (secret === '' || PLACEHOLDER.test(secret))
    problems.push(`${at}.secretFile: ${entry.secretFile} holds an empty or placeholder secret`);
  else if (entry.type === 'webhook' && secret.length < MIN_HMAC_KEY_LENGTH)
    problems.push(`${at}.secretFile: the HMAC key is shorter than ${MIN_HMAC_KEY_LENGTH} characters`);
  return secret;
}
