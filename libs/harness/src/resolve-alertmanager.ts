import fs from 'node:fs';
import { alertmanagerAnswers, startLocalAlertmanager } from './alertmanager-local';
import { surgeDir } from './repo-root';
import type { Resolved, ResolveContext } from './service-resolvers';

/**
 * ALERTMANAGER_URL as set, or as .env.local names it while it still answers, or a private Alertmanager started
 * for good (detached, recorded for infra:down). The shared one has no webhook: it keeps the alerts the notifier
 * sends (its API and UI show them) and notifies nobody; a test needing notifications starts its own with a receiver.
 */
export async function resolveAlertmanager(ctx: ResolveContext): Promise<Resolved> {
  const fromVars = process.env.ALERTMANAGER_URL;
  if (fromVars) {
    if (!(await alertmanagerAnswers(fromVars)))
      throw new Error(`ALERTMANAGER_URL=${fromVars} does not answer. Fix: start it, or unset ALERTMANAGER_URL`);
    return { value: fromVars, source: 'env' };
  }
  const fromFile = ctx.fileEnv.ALERTMANAGER_URL;
  if (fromFile && (await alertmanagerAnswers(fromFile))) return { value: fromFile, source: 'env-file' };
  ctx.log('starting prometheus-alertmanager on a free port...');
  const dir = surgeDir('infra', `alertmanager-${Date.now().toString(36)}-${process.pid}`);
  try {
    const alertmanager = await startLocalAlertmanager({ dir, detached: true, groupWait: '5s', groupInterval: '1m' });
    return {
      value: alertmanager.url,
      source: 'started',
      record: { service: 'alertmanager', kind: 'process', pid: alertmanager.pid, marker: alertmanager.configPath, dir },
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
