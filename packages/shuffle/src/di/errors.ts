import { IllegalArgumentException } from '@sluice/channel';

/** What is wrong with a shuffle configuration (see {@link ShuffleConfigException.kind}). */
export type ShuffleConfigProblem =
  /** A value has the wrong type or is out of range. */
  | 'invalid-value'
  /** A key is neither a known Flink key nor a known field name. */
  | 'unknown-key'
  /** Two settings contradict each other (the same option given twice, or options that exclude each other). */
  | 'conflict';

/**
 * A shuffle configuration (`ShuffleConfig.resolve`, `shuffleModule`) was rejected: a value of the wrong
 * type or out of range, an unknown key, or settings that contradict each other. The message names the
 * Flink key and the field, the value found and what is allowed, as Flink's `IllegalConfigurationException`
 * does; the same facts are in the fields, for programs.
 *
 * An `IllegalArgumentException` (so existing `catch` clauses keep working) with its own code,
 * `SLUICE_INVALID_SHUFFLE_CONFIG`.
 *
 * @example
 * try {
 *   ShuffleConfig.resolve({ 'taskmanager.network.memory.buffers-per-channel': -1 });
 * } catch (err) {
 *   if (err instanceof ShuffleConfigException) console.error(err.key, err.value, err.expected);
 * }
 */
export class ShuffleConfigException extends IllegalArgumentException {
  override readonly code: string = 'SLUICE_INVALID_SHUFFLE_CONFIG';
  /** The kind of problem. */
  readonly kind: ShuffleConfigProblem;
  /** The Flink key concerned (`null` for a Sluice-only option). */
  readonly key: string | null;
  /** The field name concerned (`null` for an unknown key). */
  readonly field: string | null;
  /** The value found (as given: number, string, …). */
  readonly value: unknown;
  /** What is allowed, in words ("an integer >= 0", "one of the known keys", …). */
  readonly expected: string;

  constructor(
    kind: ShuffleConfigProblem,
    message: string,
    details: { key: string | null; field: string | null; value: unknown; expected: string },
    options?: { cause?: unknown },
  ) {
    super(`Invalid shuffle configuration: ${message}`, options);
    this.kind = kind;
    this.key = details.key;
    this.field = details.field;
    this.value = details.value;
    this.expected = details.expected;
  }
}
