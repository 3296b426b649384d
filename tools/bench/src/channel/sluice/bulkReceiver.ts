/** Sluice variant of the bulk benchmark, receiving side: TCP → `LengthFieldBasedFrameDecoder` → counter. */
import { LengthFieldBasedFrameDecoder } from '@sluice/channel';
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { serve } from './common';
import { FrameCounter } from './FrameCounter';

const worker = startWorker();
const frameSize = worker.param('frameSize');
const counter = new FrameCounter();
const window = new MeasurementWindow(
  worker,
  () => counter.bytes,
  (perSecond) => `${(perSecond / 1e6).toFixed(0)} MB/s`,
  (bytes, seconds) => worker.result({ 'MB/s': bytes / seconds / 1e6, bytes, seconds, frames: counter.frames }),
);
counter.onFirst = () => window.start();
serve(worker, (ch) => ch.pipeline().addLast('decoder', new LengthFieldBasedFrameDecoder(frameSize + 4, 0, 4, 0, 4)).addLast('counter', counter));
