/** Entry of the `push` variant of the `head-of-line` benchmark, consumer side (Flink 1.4 push mode, no credit). */
import '../../shuffle-local/productionLeakDetection';
import { runHeadOfLineConsumer } from './headOfLineConsumer';

runHeadOfLineConsumer('push');
