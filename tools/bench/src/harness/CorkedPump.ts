/**
 * The write loop of the raw `node:net` baselines that push a stream of frames (channel suite's bulk and
 * small-message senders, shuffle suite's bulk and head-of-line producers): `batchFrames` frames between
 * `cork()` and `uncork()` (one `writev` per batch), at most 16 batches per event-loop turn so that IPC
 * and timers still run, and a stop when `write()` returns false until the socket's `'drain'`.
 */
import type { Socket } from 'node:net';

/** Batches written per event-loop turn before yielding. */
const MAX_BATCHES_PER_TURN = 16;

export class CorkedPump {
  /** Frames handed to the socket so far. */
  framesWritten = 0;
  private stopped = false;

  /** `writeFrame` writes one frame and returns what its last `write()` returned. Call {@link pump} to start. */
  constructor(
    private readonly socket: Socket,
    private readonly batchFrames: number,
    private readonly writeFrame: (socket: Socket) => boolean,
  ) {
    socket.on('drain', this.pump);
  }

  /** Writes until the socket is full (then `'drain'` calls again) or the turn's batches are done. */
  readonly pump = (): void => {
    const socket = this.socket;
    let batches = 0;
    while (!this.stopped) {
      socket.cork();
      let writable = true;
      let i = 0;
      while (i < this.batchFrames && writable) {
        writable = this.writeFrame(socket);
        i++;
      }
      this.framesWritten += i;
      socket.uncork();
      if (!writable) return; // 'drain' resumes
      if (++batches === MAX_BATCHES_PER_TURN) {
        setImmediate(this.pump);
        return;
      }
    }
  };

  /** No batch starts after this. */
  stop(): void {
    this.stopped = true;
  }
}
