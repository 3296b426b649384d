/** Entry of the `credit` variant of the `head-of-line` benchmark, producer side (credit-based flow control, Flink >= 1.5). */
import '../../shuffle-local/productionLeakDetection';
import { runHeadOfLineProducer } from './headOfLineProducer';

runHeadOfLineProducer('credit');
