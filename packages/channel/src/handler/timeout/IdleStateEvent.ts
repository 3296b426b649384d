import { IdleState } from './IdleState';

/**
 * Port of io.netty.handler.timeout.IdleStateEvent (Netty 4.1): the user event an `IdleStateHandler` fires
 * (through `userEventTriggered`) when a channel has been idle.
 *
 * The six shared instances cover every case: for each {@link IdleState}, a `FIRST_…` event for the first
 * time the idleness is detected after some activity, and a plain one for each further period of the same
 * idleness. Compare with `===` or look at `state()` and `isFirst()`.
 *
 * @example
 * userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
 *   if (evt instanceof IdleStateEvent && evt.state() === IdleState.WRITER_IDLE) ctx.writeAndFlush(ping());
 *   else ctx.fireUserEventTriggered(evt);
 * }
 */
export class IdleStateEvent {
  static readonly FIRST_READER_IDLE_STATE_EVENT = new IdleStateEvent(IdleState.READER_IDLE, true);
  static readonly READER_IDLE_STATE_EVENT = new IdleStateEvent(IdleState.READER_IDLE, false);
  static readonly FIRST_WRITER_IDLE_STATE_EVENT = new IdleStateEvent(IdleState.WRITER_IDLE, true);
  static readonly WRITER_IDLE_STATE_EVENT = new IdleStateEvent(IdleState.WRITER_IDLE, false);
  static readonly FIRST_ALL_IDLE_STATE_EVENT = new IdleStateEvent(IdleState.ALL_IDLE, true);
  static readonly ALL_IDLE_STATE_EVENT = new IdleStateEvent(IdleState.ALL_IDLE, false);

  /** Subclasses may add detail; everyone else uses the shared instances. */
  protected constructor(
    private readonly idleState: IdleState,
    private readonly first: boolean,
  ) {}

  /** The kind of idleness. */
  state(): IdleState {
    return this.idleState;
  }

  /** True for the first event after activity, false for each further period of the same idleness. */
  isFirst(): boolean {
    return this.first;
  }

  /** `IdleStateEvent(READER_IDLE, first)` or `IdleStateEvent(READER_IDLE)`, as Netty prints it. */
  toString(): string {
    return `${this.constructor.name}(${this.idleState}${this.first ? ', first' : ''})`;
  }
}
