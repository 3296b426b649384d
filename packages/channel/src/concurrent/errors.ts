import { SluiceError } from '../util/SluiceError';

/** A task was submitted to an executor that is shutting down or terminated (Java's RejectedExecutionException). */
export class RejectedExecutionException extends SluiceError {
  constructor(message = 'event executor terminated') {
    super(message, { code: 'SLUICE_REJECTED_EXECUTION' });
  }
}

/** The future was cancelled before it completed (Java's CancellationException). */
export class CancellationException extends SluiceError {
  constructor(message = 'cancelled') {
    super(message, { code: 'SLUICE_CANCELLED' });
  }
}

/** A blocking wait was attempted on the event loop that must complete the future (Netty's dead-lock guard). */
export class BlockingOperationException extends SluiceError {
  constructor(message: string) {
    super(message, { code: 'SLUICE_BLOCKING_OPERATION' });
  }
}

/** A wait or an operation took longer than allowed (Java's TimeoutException). */
export class TimeoutException extends SluiceError {
  constructor(message: string) {
    super(message, { code: 'SLUICE_TIMEOUT' });
  }
}
