/** Sluice `broadcast` variant: BroadcastRecordWriter (serialize once, copy once, shared buffer). See broadcastWorker.ts. */
import '../productionLeakDetection';
import { runSluiceBroadcast } from './broadcastWorker';

runSluiceBroadcast('shared');
