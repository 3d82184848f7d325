/**
 * A state write refused because another instance wrote the target since this one loaded it: the partition
 * moved, and its new owner's state must not be overwritten. Nothing of the batch was stored. It is an ordinary
 * (transient) failure for the consumer: the partition is held, and the retry loop stops as soon as the
 * rebalance marks the batch stale; if the partition is still this instance's, the retry reloads the new state.
 */
export class FencedStateWrite extends Error {
  constructor(
    readonly targetId: string,
    readonly expectedFence: number,
    readonly foundFence: number,
  ) {
    super(
      `state of ${targetId} was written by another instance since it was loaded (fence ${expectedFence}, now ` +
        `${foundFence}): this instance no longer owns its partition, so nothing of the batch was stored`,
    );
    this.name = 'FencedStateWrite';
  }
}
