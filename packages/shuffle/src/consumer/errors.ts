import { SluiceError } from '@sluice/channel';
import { RecordDeserializationException } from '../io/errors';

/**
 * Port of org.apache.flink.runtime.execution.CancelTaskException (Flink 1.20), as thrown by the consumer
 * side: the input gate was closed, an input channel was released, or the consumed partition was released
 * by its producer. Flink treats it as "the task is being cancelled" rather than as a failure; so should a
 * caller (stop reading, release what you hold, do not report an error of your own).
 */
export class CancelTaskException extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'SLUICE_CANCEL_TASK' });
  }
}

/**
 * An event arrived on an input channel while a record of that channel was only partly received: the
 * producer's serialization is broken (Flink's IOException "Received an event in channel … while still
 * having data from a record").
 */
export class EventInsideRecordException extends RecordDeserializationException {
  /** The event's class name. */
  readonly event: string;

  constructor(channel: string, event: string) {
    super(
      `Received an event (${event}) in ${channel} while still having data from a record. This indicates broken serialization ` +
        'logic: check the TypeSerializer of the records (serialize and deserialize must agree byte for byte).',
      channel,
      { code: 'SLUICE_EVENT_INSIDE_RECORD' },
    );
    this.event = event;
  }
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.RemoteInputChannel.BufferReorderingException
 * (Flink 1.20). Differs: a top-level class.
 *
 * A remote channel received a buffer whose sequence number is not the one it expected: the connection
 * lost or reordered data. Fatal for the channel.
 */
export class BufferReorderingException extends SluiceError {
  /** The sequence number the channel expected. */
  readonly expectedSequenceNumber: number;
  /** The sequence number that arrived. */
  readonly actualSequenceNumber: number;

  constructor(channel: string, expectedSequenceNumber: number, actualSequenceNumber: number) {
    super(
      `${channel}: buffer re-ordering: expected buffer with sequence number ${expectedSequenceNumber}, but received ${actualSequenceNumber}.`,
      { code: 'SLUICE_BUFFER_REORDERING' },
    );
    this.expectedSequenceNumber = expectedSequenceNumber;
    this.actualSequenceNumber = actualSequenceNumber;
  }
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.PartitionConnectionException (Flink 1.20).
 *
 * A remote input channel could not connect to its producer's address (after the configured retries).
 */
export class PartitionConnectionException extends SluiceError {
  /** The producer address (`host:port`). */
  readonly address: string;

  constructor(channel: string, address: string, cause: unknown) {
    super(`${channel}: connecting to the producer at ${address} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      code: 'SLUICE_PARTITION_CONNECTION',
    });
    this.address = address;
  }
}
