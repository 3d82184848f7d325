import { targetStatus, targetStatusList } from '@surge/contracts';
import { type EngineOptions, engineGet } from './engine-client';
import { formatStatusList, formatTargetStatus } from './status-format';

export interface StatusOptions extends EngineOptions {
  json?: boolean;
}

/**
 * `surgectl status [target]`: one target described as `kubectl describe hpa` does, or every target one line
 * each. Exit 1 when no policy scales the target; errors throw EngineRequestError (exit 2).
 */
export async function statusCommand(target: string | undefined, options: StatusOptions): Promise<number> {
  if (target === undefined) {
    const list = await engineGet(options, 'status', targetStatusList);
    if (!list) throw new Error(`${options.engine} has no /status: a rules engine of an older release?`);
    process.stdout.write(options.json ? `${JSON.stringify(list, null, 2)}\n` : formatStatusList(list));
    return 0;
  }
  const status = await engineGet(options, `status/${encodeURIComponent(target)}`, targetStatus);
  if (!status) {
    process.stderr.write(`surgectl: no policy scales target ${target}\n`);
    return 1;
  }
  process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatTargetStatus(status));
  return 0;
}
