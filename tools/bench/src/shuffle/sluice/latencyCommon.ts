/** Pieces shared by the two Sluice processes of the `latency` benchmark. */

export const LATENCY_ECHO_ID = 'bench-echo';
export const LATENCY_CLIENT_ID = 'bench-ping';
/** Flush after every record (execution.buffer-timeout 0); credit-based, the benchmark's small pool. */
export const LATENCY_BUFFER_TIMEOUT_MS = 0;
