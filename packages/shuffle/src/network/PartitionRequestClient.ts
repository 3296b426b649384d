import type { TaskEvent } from '../event/AbstractEvent';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import type { RemoteInputChannel } from '../consumer/RemoteInputChannel';

/**
 * Port of org.apache.flink.runtime.io.network.PartitionRequestClient (Flink 1.20). Differs: one
 * subpartition index instead of a `ResultSubpartitionIndexSet`; requests return promises.
 *
 * What a {@link RemoteInputChannel} may ask of the connection it shares with other channels: request its
 * subpartition (with its initial credit), announce credit, resume after an aligned barrier, acknowledge
 * EndOfData, announce a buffer size, send a task event backwards, and leave the connection.
 *
 * ## Threading
 * Called from the task's side; implementations hop onto the connection's event loop.
 */
export interface PartitionRequestClient {
  /**
   * Registers `inputChannel` with the connection and sends its PartitionRequest after `delayMs`
   * (0: now). Resolves when the request was written; a failed write fails the channel with a
   * LocalTransportException and rejects.
   */
  requestSubpartition(partitionId: ResultPartitionID, subpartitionIndex: number, inputChannel: RemoteInputChannel, delayMs: number): Promise<void>;
  /** The channel has unannounced credit: queue an AddCredit (coalesced; see the client handler). */
  notifyCreditAvailable(inputChannel: RemoteInputChannel): void;
  /** Queue a NewBufferSize for the channel (buffer debloating). */
  notifyNewBufferSize(inputChannel: RemoteInputChannel, bufferSize: number): void;
  /** Queue a ResumeConsumption for the channel. */
  resumeConsumption(inputChannel: RemoteInputChannel): void;
  /** Queue an AckAllUserRecordsProcessed for the channel. */
  acknowledgeAllRecordsProcessed(inputChannel: RemoteInputChannel): void;
  /** Sends a task event backwards to the producer of `partitionId`. */
  sendTaskEvent(partitionId: ResultPartitionID, event: TaskEvent, inputChannel: RemoteInputChannel): Promise<void>;
  /**
   * The channel leaves the connection: it is unregistered; the connection is closed (CloseRequest) if it
   * was the last channel, else a CancelPartitionRequest is sent for it.
   */
  close(inputChannel: RemoteInputChannel): void;
}
