import fs from 'node:fs';
import { formatIssue } from '@surge/policy';
import { importText, type ImportSource } from './import-file';
import { formatNote } from './import-notes';

/**
 * `surgectl import hpa|keda FILE`: the ScalingPolicy on stdout, what was not carried over on stderr. Exits 0 when
 * the policy validates, 1 when it does not (it is printed all the same, to be fixed by hand), 2 when FILE cannot
 * be read.
 */
export function importCommand(source: ImportSource, file: string, options: { schema?: string }): number {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const outcome = importText(text, file, source, { schemaRef: options.schema });
  for (const note of outcome.notes) process.stderr.write(`${formatNote(file, note)}\n`);
  if (outcome.unreadable) {
    process.stderr.write(`${file}: ${outcome.unreadable}\n`);
    return 2;
  }
  process.stdout.write(outcome.output);
  for (const issue of outcome.issues) process.stderr.write(`error ${formatIssue(issue)}\n`);
  return outcome.issues.length ? 1 : 0;
}
