import { POLICY_API_VERSION } from '@surge/policy';
import { stringify } from 'yaml';
import type { RawObject } from './import-values';

/** A ScalingPolicy document as written out, before Surge's parser has checked it. */
export interface ImportedPolicy extends RawObject {
  apiVersion: string;
  kind: 'ScalingPolicy';
  metadata: RawObject;
  spec: RawObject;
}

export const POLICY_HEAD = { apiVersion: POLICY_API_VERSION, kind: 'ScalingPolicy' } as const;

/** Where the examples' schema lives relative to examples/policies, the usual place for a policy file. */
export const DEFAULT_SCHEMA_REF = '../../schemas/scaling-policy.schema.json';

/** The policies as one YAML file, with the line that points editors at the schema. */
export function formatPolicies(policies: readonly ImportedPolicy[], schemaRef = DEFAULT_SCHEMA_REF): string {
  const documents = policies.map((policy) => stringify(policy, { lineWidth: 0 }));
  return `# yaml-language-server: $schema=${schemaRef}\n${documents.join('---\n')}`;
}
