import { parsePolicyText, type PolicyIssue, PolicyValidationError } from '@surge/policy';
import { parseAllDocuments } from 'yaml';
import { importHpa } from './import-hpa';
import { importKeda } from './import-keda';
import { type ImportNote, ImportNotes } from './import-notes';
import { formatPolicies, type ImportedPolicy } from './import-policy';
import { isObject } from './import-values';

export type ImportSource = 'hpa' | 'keda';

export interface ImportOutcome {
  /** The ScalingPolicy file, empty when nothing could be read. */
  output: string;
  notes: ImportNote[];
  /** Surge's own parser's verdict on the output. */
  issues: PolicyIssue[];
  /** Why the input could not be read at all: not YAML, or no document of the kind asked for. */
  unreadable?: string;
}

export interface ImportOptions {
  schemaRef?: string;
  /** When cron windows are measured from (tests pin it). */
  now?: Date;
}

/** Reads every document of an HPA or ScaledObject file and writes the ScalingPolicies, checked by parsePolicyText. */
export function importText(
  text: string,
  file: string,
  source: ImportSource,
  options: ImportOptions = {},
): ImportOutcome {
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  const syntax = list.flatMap((doc) => doc.errors.map((error) => error.message.split('\n')[0]!));
  if (syntax.length) return { output: '', notes: [], issues: [], unreadable: `not YAML: ${syntax[0]}` };
  const raws = list.map((doc) => doc.toJS() as unknown).filter((raw) => raw !== null && raw !== undefined);
  const notes = new ImportNotes();
  const policies: ImportedPolicy[] = [];
  raws.forEach((raw, index) => {
    const at = notes.forDocument(index, raws.length);
    if (!isObject(raw)) return at.drop('(root)', 'not a Kubernetes object');
    const policy = source === 'hpa' ? importHpa(raw, at) : importKeda(raw, at, options.now ?? new Date());
    if (policy) policies.push(policy);
  });
  if (policies.length === 0) {
    const kind = source === 'hpa' ? 'HorizontalPodAutoscaler' : 'ScaledObject';
    return { output: '', notes: notes.list, issues: [], unreadable: `no ${kind} document found` };
  }
  const output = formatPolicies(policies, options.schemaRef);
  return { output, notes: notes.list, issues: validate(output, file) };
}

function validate(output: string, file: string): PolicyIssue[] {
  try {
    parsePolicyText(output, `${file} (imported)`);
    return [];
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.issues;
    throw error;
  }
}
