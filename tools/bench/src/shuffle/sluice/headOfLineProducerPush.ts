/** Entry of the `push` variant of the `head-of-line` benchmark, producer side (Flink 1.4 push mode, no credit). */
import '../../shuffle-local/productionLeakDetection';
import { runHeadOfLineProducer } from './headOfLineProducer';

runHeadOfLineProducer('push');
