/** Pieces shared by the two Sluice processes of the `latency` benchmark. */
import type { Worker } from '../../harness/worker';
import type { EnvOptions } from './env';

export const LATENCY_ECHO_ID = 'bench-echo';
export const LATENCY_CLIENT_ID = 'bench-ping';

/** A small pool; buffer timeout 0 (flush after every record); credit-based. */
export function latencyEnvOptions(worker: Worker, resourceId: string): EnvOptions {
  return {
    resourceId,
    segmentSize: worker.param('segmentSize'),
    numberOfBuffers: worker.param('networkBuffers'),
    buffersPerChannel: worker.param('buffersPerChannel'),
    floatingBuffersPerGate: worker.param('floatingBuffersPerGate'),
    maxBuffersPerChannel: worker.param('maxBuffersPerChannel'),
    bufferTimeoutMs: 0,
    flowControlMode: 'credit',
  };
}
