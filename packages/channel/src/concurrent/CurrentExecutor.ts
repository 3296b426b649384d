import type { EventExecutor } from './EventExecutor';

/**
 * The "current thread" of the single JavaScript thread: the executor whose task, timer or I/O callback is
 * running right now, or null. Executors set it around everything they dispatch; transports set it around
 * socket callbacks so that handler code they trigger is "in the event loop".
 *
 * Invariant: always restored in a `finally`, so it is null whenever the JavaScript stack unwinds to the
 * host (microtasks and I/O callbacks start outside every loop).
 */
let current: EventExecutor | null = null;

/** The executor running the caller, if any. */
export function currentExecutor(): EventExecutor | null {
  return current;
}

/** Marks `executor` as running; returns the previous one, to hand back to {@link exitExecutor}. */
export function enterExecutor(executor: EventExecutor | null): EventExecutor | null {
  const previous = current;
  current = executor;
  return previous;
}

/** Restores the executor that was running before {@link enterExecutor}. */
export function exitExecutor(previous: EventExecutor | null): void {
  current = previous;
}
