/**
 * Who signs each steering topic: one fact, one producer. The rules engine decides, the executors (and the waiting
 * room, which hosts one) observe and report their actions' results, the control plane carries the operator's
 * intent. A run's keys are one pair per
 * role, so a verifier trusts exactly the role that may write its topic.
 */
export type SignerRole = 'rules-engine' | 'executor' | 'control-plane';

export const SIGNER_ROLES: readonly SignerRole[] = ['rules-engine', 'executor', 'control-plane'];

/** The public-key list setting each role's key belongs to. */
export const PUBLIC_KEYS_SETTING_OF: Record<SignerRole, string> = {
  'rules-engine': 'SURGE_DECISIONS_PUBLIC_KEYS',
  executor: 'SURGE_OBSERVED_PUBLIC_KEYS',
  'control-plane': 'SURGE_CONTROL_PUBLIC_KEYS',
};
