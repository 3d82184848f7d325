import type { SigningDeclaration } from '@surge/kafka';

/**
 * An executor signs what it observes and its action results (a plan step's result lets the rules engine go on
 * with the plan), and acts only on decisions and control events whose signature verifies: whoever can write to
 * the decisions topic without the rules engine's key steers nothing. The waiting room, which hosts an executor,
 * declares the same.
 */
export const EXECUTOR_SIGNING: SigningDeclaration = {
  sign: ['observed', 'actions'],
  verify: ['decisions', 'control'],
};
