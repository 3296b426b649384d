/** Entry of the `credit` variant of the `head-of-line` benchmark, consumer side (credit-based flow control, Flink >= 1.5). */
import '../../shuffle-local/productionLeakDetection';
import { runHeadOfLineConsumer } from './headOfLineConsumer';

runHeadOfLineConsumer('credit');
