/** Sluice `broadcast` contrast: ChannelSelectorRecordWriter.broadcastEmit (one copy per subpartition). See broadcastWorker.ts. */
import '../productionLeakDetection';
import { runSluiceBroadcast } from './broadcastWorker';

runSluiceBroadcast('per-channel-copy');
