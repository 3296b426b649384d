/**
 * Defaults of Flink's consumer-side network options (Flink 1.20 `NettyShuffleEnvironmentOptions`), in one
 * place. Units are in the names.
 *
 * @example
 * new LocalInputChannel(gate, 0, partitionId, 0, partitionManager, { initialBackoffMs: ConsumerDefaults.REQUEST_BACKOFF_INITIAL_MS });
 */
export const ConsumerDefaults = {
  /** Milliseconds before the first retry of a partition request (`taskmanager.network.request-backoff.initial`, default 100). */
  REQUEST_BACKOFF_INITIAL_MS: 100,
  /** Milliseconds the retry back-off may grow to (`taskmanager.network.request-backoff.max`, default 10000). */
  REQUEST_BACKOFF_MAX_MS: 10000,
  /** Milliseconds a producer waits for a requested partition before answering PartitionNotFound (`taskmanager.network.partition-request-timeout`, default 10000). */
  PARTITION_REQUEST_TIMEOUT_MS: 10000,
} as const;

/**
 * Flink's configuration key → option field of the consumer classes (`InputChannelOptions`; the
 * partition-request timeout is the remote channels' option). Buffer counts are in
 * `NETWORK_MEMORY_CONFIG_KEYS`.
 */
export const CONSUMER_CONFIG_KEYS: Readonly<Record<string, string>> = Object.freeze({
  'taskmanager.network.request-backoff.initial': 'initialBackoffMs',
  'taskmanager.network.request-backoff.max': 'maxBackoffMs',
  'taskmanager.network.partition-request-timeout': 'partitionRequestListenerTimeoutMs',
});
