import { ChannelFutureListeners, type Channel, type ChannelFuture } from '@sluice/channel';
import type { RemoteInputChannel } from '../consumer/RemoteInputChannel';
import type { TaskEvent } from '../event/AbstractEvent';
import type { ConnectionID } from '../network/ConnectionID';
import type { PartitionRequestClient } from '../network/PartitionRequestClient';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import {
  AcknowledgeAllRecordsProcessedMessage,
  AddCreditMessage,
  ConnectionErrorMessage,
  NewBufferSizeMessage,
  ResumeConsumptionMessage,
} from './ClientOutboundMessage';
import { LocalTransportException } from './errors';
import { CloseRequest } from './message/CloseRequest';
import { PartitionRequest } from './message/PartitionRequest';
import { TaskEventRequest } from './message/TaskEventRequest';
import type { NetworkClientHandler } from './NetworkClientHandler';

/** What the client needs of its factory: forgetting a disposed client. */
export interface PartitionRequestClientOwner {
  destroyPartitionRequestClient(connectionId: ConnectionID, client: NettyPartitionRequestClient): void;
}

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyPartitionRequestClient (Flink 1.20). Differs:
 * requests return promises instead of throwing IOException; the reference counter is a plain field;
 * disposing sends the CloseRequest and then closes the TCP channel itself once it is written (Flink
 * leaves the close to the server, or keeps the connection for reuse across jobs); no connection reuse
 * across jobs.
 *
 * One TCP connection to a producer process, shared by every {@link RemoteInputChannel} of this process
 * that reads from that producer's {@link ConnectionID} (reference §3.2). A channel registers with the
 * connection's {@link NetworkClientHandler} and sends its PartitionRequest with its initial credit
 * (§2 step 2); credit, resume, buffer-size and acknowledgement messages go to the handler as user
 * events on the event loop, which writes them one at a time.
 *
 * The factory counts the channels holding the client: each `createPartitionRequestClient` increments,
 * each {@link close} decrements. The last close sends a CloseRequest and disposes the client (the
 * factory forgets it and never hands it out again); an earlier close sends a CancelPartitionRequest for
 * that channel only (§2.7).
 *
 * ## Threading
 * Called from the task side; everything that touches the pipeline runs on the channel's event loop.
 */
export class NettyPartitionRequestClient implements PartitionRequestClient {
  private readonly tcpChannel: Channel;
  private readonly clientHandler: NetworkClientHandler;
  private readonly connectionId: ConnectionID;
  private readonly clientFactory: PartitionRequestClientOwner;
  /** Holders of this client (Flink's AtomicDisposableReferenceCounter). */
  private referenceCount = 0;
  private disposed = false;

  /**
   * @param tcpChannel the connected channel (its pipeline ends with `clientHandler`)
   * @param clientHandler the connection's client handler
   * @param connectionId the connection this client serves (the factory's key)
   * @param clientFactory told when the client is disposed
   */
  constructor(tcpChannel: Channel, clientHandler: NetworkClientHandler, connectionId: ConnectionID, clientFactory: PartitionRequestClientOwner) {
    this.tcpChannel = tcpChannel;
    this.clientHandler = clientHandler;
    this.connectionId = connectionId;
    this.clientFactory = clientFactory;
  }

  /**
   * Takes one reference for a new holder; false once the client is disposed or its connection failed
   * (the factory then connects anew).
   */
  validateClientAndIncrementReferenceCounter(): boolean {
    if (this.hasChannelError() || this.disposed) return false;
    this.referenceCount++;
    return true;
  }

  /** True once the last holder closed it. */
  isDisposed(): boolean {
    return this.disposed;
  }

  /** Current holders. */
  getReferenceCount(): number {
    return this.referenceCount;
  }

  getConnectionId(): ConnectionID {
    return this.connectionId;
  }

  /** The TCP channel (for tests and diagnostics). */
  getChannel(): Channel {
    return this.tcpChannel;
  }

  /**
   * Disposes the client if nobody holds it (Flink 1.4's `disposeIfNotUsed`, used when a channel is
   * released while the connection is still being set up): closes the connection. True if disposed now or
   * before.
   */
  disposeIfNotUsed(): boolean {
    if (this.referenceCount > 0) return this.disposed;
    if (!this.disposed) {
      this.disposed = true;
      this.closeConnection();
    }
    return true;
  }

  /** Closes the TCP connection (no CloseRequest). */
  closeConnection(): void {
    this.tcpChannel.close();
  }

  requestSubpartition(partitionId: ResultPartitionID, subpartitionIndex: number, inputChannel: RemoteInputChannel, delayMs: number): Promise<void> {
    try {
      this.checkNotClosed();
      this.clientHandler.addInputChannel(inputChannel);
    } catch (err) {
      return Promise.reject(err);
    }
    const request = new PartitionRequest(partitionId, subpartitionIndex, subpartitionIndex, inputChannel.getInputChannelId(), inputChannel.getInitialCredit());
    return new Promise<void>((resolve, reject) => {
      const send = (): void => {
        this.tcpChannel.writeAndFlush(request).addListener((future: ChannelFuture) => {
          if (future.isSuccess()) {
            resolve();
            return;
          }
          const cause = future.cause() ?? new LocalTransportException('Cannot send partition request.', this.connectionId.getAddress());
          this.clientHandler.removeInputChannel(inputChannel);
          const error = new LocalTransportException(
            `Sending the partition request to '${this.describeConnection()}' failed.`,
            this.connectionId.getAddress(),
            { cause },
          );
          inputChannel.onError(error);
          this.sendToChannel(new ConnectionErrorMessage(cause));
          reject(error);
        });
      };
      if (delayMs === 0) send();
      else this.tcpChannel.eventLoop().schedule(send, delayMs);
    });
  }

  /**
   * Announces credit with `lazyExecute` (Flink: `execute` from the task thread): once the current read
   * and the task work it set off have run, so data the task sends in response goes out first, and
   * credit that accrues meanwhile (the task recycling what it read) joins the same AddCredit, built at
   * write time. Still before the next read is handled: a sender waiting for credit is not kept waiting.
   */
  notifyCreditAvailable(inputChannel: RemoteInputChannel): void {
    this.sendToChannel(new AddCreditMessage(inputChannel), true);
  }

  notifyNewBufferSize(inputChannel: RemoteInputChannel, bufferSize: number): void {
    this.sendToChannel(new NewBufferSizeMessage(inputChannel, bufferSize));
  }

  resumeConsumption(inputChannel: RemoteInputChannel): void {
    this.sendToChannel(new ResumeConsumptionMessage(inputChannel));
  }

  acknowledgeAllRecordsProcessed(inputChannel: RemoteInputChannel): void {
    this.sendToChannel(new AcknowledgeAllRecordsProcessedMessage(inputChannel));
  }

  sendTaskEvent(partitionId: ResultPartitionID, event: TaskEvent, inputChannel: RemoteInputChannel): Promise<void> {
    try {
      this.checkNotClosed();
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<void>((resolve, reject) => {
      this.tcpChannel.writeAndFlush(new TaskEventRequest(event, partitionId, inputChannel.getInputChannelId())).addListener((future: ChannelFuture) => {
        if (future.isSuccess()) {
          resolve();
          return;
        }
        const cause = future.cause() ?? new LocalTransportException('Cannot send task event.', this.connectionId.getAddress());
        const error = new LocalTransportException(`Sending the task event to '${this.describeConnection()}' failed.`, this.connectionId.getAddress(), {
          cause,
        });
        inputChannel.onError(error);
        this.sendToChannel(new ConnectionErrorMessage(cause));
        reject(error);
      });
    });
  }

  /**
   * The channel leaves: unregistered from the handler; the last holder sends CloseRequest and disposes
   * the client (closing the connection once the CloseRequest is written), others send a
   * CancelPartitionRequest for their channel.
   */
  close(inputChannel: RemoteInputChannel): void {
    this.clientHandler.removeInputChannel(inputChannel);
    if (this.decrementReferenceCounter()) {
      // Flink sends CloseRequest rather than just closing, so that task events already queued go out first.
      this.tcpChannel.writeAndFlush(new CloseRequest()).addListener(ChannelFutureListeners.CLOSE);
      this.clientFactory.destroyPartitionRequestClient(this.connectionId, this);
    } else {
      this.clientHandler.cancelRequestFor(inputChannel.getInputChannelId());
    }
  }

  toString(): string {
    return `NettyPartitionRequestClient{${this.describeConnection()}, references=${this.referenceCount}${this.disposed ? ', disposed' : ''}}`;
  }

  // ---------------------------------------------------------------- internals

  /** Decrements; true if this made the count 0 (the client is now disposed). */
  private decrementReferenceCounter(): boolean {
    if (this.disposed) return false;
    this.referenceCount--;
    if (this.referenceCount <= 0) {
      this.disposed = true;
      return true;
    }
    return false;
  }

  private hasChannelError(): boolean {
    const handler = this.clientHandler as NetworkClientHandler & { hasChannelError?: () => boolean };
    return typeof handler.hasChannelError === 'function' && handler.hasChannelError();
  }

  /**
   * Hands `message` to the handler as a user event on the channel's event loop (Flink's sendToChannel);
   * `lazy`: once the current callback's work ran (see {@link notifyCreditAvailable}).
   */
  private sendToChannel(message: object, lazy = false): void {
    const channel = this.tcpChannel;
    const fire = (): void => {
      channel.pipeline().fireUserEventTriggered(message);
    };
    if (lazy) channel.eventLoop().lazyExecute(fire);
    else channel.eventLoop().execute(fire);
  }

  private checkNotClosed(): void {
    if (this.disposed) {
      const remote = this.tcpChannel.remoteAddress();
      const address = remote === null ? this.connectionId.getAddress() : remote.toString();
      throw new LocalTransportException(`Channel to '${address}' closed.`, address);
    }
  }

  private describeConnection(): string {
    return `${this.connectionId.getAddress()}${this.connectionId.resourceId !== null ? ` [${this.connectionId.resourceId}]` : ''} (#${this.connectionId.connectionIndex})`;
  }
}
