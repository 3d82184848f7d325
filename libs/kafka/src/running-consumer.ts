/** A partition whose current message waits for a dependency to come back (a transient failure being retried). */
export interface RetryingPartition {
  topic: string;
  partition: number;
  /** The offset of the first message not handled yet: nothing past it is committed. */
  offset: string;
  attempts: number;
  /** Epoch ms of the first failed attempt. */
  since: number;
  error: string;
}

/**
 * A started consumer, as runConsumer/runBatchConsumer return it. Its own file because both the consumer options
 * (which take the metrics) and the metrics (which watch running consumers) name it.
 */
export interface RunningConsumer {
  readonly groupId: string;
  /** Stops fetching, lets in-flight work finish, commits what was handled and leaves the group. */
  stop(): Promise<void>;
  /** Sum over assigned partitions of (high watermark - committed offset), refreshed on each batch. */
  lag(): number;
  /** The same lag summed per topic, for the `surge_consumer_lag{group,topic}` gauge. */
  lagByTopic(): Map<string, number>;
  /** The partitions held back by a dependency that is unavailable; the app is not ready while any is. */
  retrying(): RetryingPartition[];
}
