/** Sluice variant of the small-message benchmark, receiving side: `LengthFieldBasedFrameDecoder` → counter. */
import { LengthFieldBasedFrameDecoder } from '@sluice/channel';
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { serve } from './common';
import { FrameCounter } from './FrameCounter';

const worker = startWorker();
const payloadSize = worker.param('payloadSize');
const counter = new FrameCounter();
const window = new MeasurementWindow(
  worker,
  () => counter.frames,
  (perSecond) => `${(perSecond / 1e6).toFixed(2)} M msg/s`,
  (count, seconds) => worker.result({ 'msg/s': count / seconds, messages: count, seconds }),
);
counter.onFirst = () => window.start();
serve(worker, (ch) => ch.pipeline().addLast('decoder', new LengthFieldBasedFrameDecoder(payloadSize + 4, 0, 4, 0, 4)).addLast('counter', counter));
