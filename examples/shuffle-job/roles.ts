/**
 * The two TaskManagers of the shuffle job. Each is a function of a {@link Link} to the JobMaster, so the
 * same code runs in a forked child process (the real run) or in the test's process (two containers
 * with different resource ids still talk over real TCP on 127.0.0.1).
 *
 * - `tm-source` runs N source subtasks. Subtask s owns partition s (M subpartitions) and emits its
 *   records through a RecordWriter with Flink's key-group partitioner, waiting on
 *   `writer.getAvailableFuture()` whenever `emit()` says the pool is exhausted (back-pressure).
 * - `tm-agg` runs M aggregator subtasks. Subtask j reads subpartition j of all N partitions through one
 *   SingleInputGate of N RemoteInputChannels — all N × M channels share one TCP connection to tm-source
 *   — counts and checksums records per key, records the end-to-end latency of each record, and samples
 *   every channel's credit, backlog and queue.
 *
 * Everything of a TaskManager runs on its one JS thread: the subtasks are async loops that give the
 * event loop a turn at least every {@link YIELD_MS} ms (so sockets, flush timers and IPC keep moving).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Container } from 'inversify';
import { build as buildHistogram, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import {
  InputChannelMetrics,
  KeyGroupStreamPartitioner,
  NettyShuffleDescriptor,
  RecordReader,
  RemoteInputChannel,
  ShuffleTokens,
  TaskIOMetrics,
  getService,
  networkModule,
  shuffleModule,
  type PipelinedResultPartition,
  type RecordWriter,
  type SingleInputGate,
} from '@sluice/shuffle';
import type {
  AggTaskResult,
  ChannelStats,
  JobConfig,
  Link,
  MasterMessage,
  Role,
  SourceTaskResult,
  TaskManagerMessage,
  TaskManagerResult,
} from './protocol';
import { JobRecordSerializer, KeyStats, keyOf, valueOf, type JobRecord } from './records';

/** Longest stretch a subtask runs without letting the event loop turn, ms. */
const YIELD_MS = 10;
/** How often progress goes to the JobMaster, ms. */
const PROGRESS_MS = 100;
/** How often channel credit/backlog is sampled, ms. */
const SAMPLE_MS = 10;
/** Key groups of the partitioner (Flink's max parallelism). */
export const MAX_PARALLELISM = 128;

const now = (): number => performance.timeOrigin + performance.now();
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Records of source subtask `s` when `records` are split over `n` subtasks. */
export function recordsOfSource(records: number, n: number, s: number): number {
  return Math.floor(records / n) + (s < records % n ? 1 : 0);
}

/** The key-group partitioner of the job, for `aggregators` channels. */
export function keyPartitioner(): KeyGroupStreamPartitioner<JobRecord, number> {
  return new KeyGroupStreamPartitioner<JobRecord, number>((r) => r.key, { maxParallelism: MAX_PARALLELISM });
}

type TaskManagerLink = Link<MasterMessage, TaskManagerMessage>;

/**
 * Runs one TaskManager until the JobMaster says `shutdown` (resolves after `closed` was sent) or
 * something fails (sends `failed`, closes what it can, and rejects).
 */
export function runTaskManager(link: TaskManagerLink): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let tm: TaskManager | null = null;
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      const error = err instanceof Error ? err : new Error(String(err));
      link.send({ type: 'failed', error: `${tm?.role ?? 'task manager'}: ${error.stack ?? error.message}` });
      const closing = tm?.close() ?? Promise.resolve();
      closing.then(
        () => reject(error),
        () => reject(error),
      );
    };
    // Messages are handled one at a time, in order (a deploy may take a moment).
    let queue: Promise<void> = Promise.resolve();
    link.onMessage((message) => {
      queue = queue
        .then(async () => {
          if (failed) return;
          switch (message.type) {
            case 'configure': {
              tm = new TaskManager(message.role, message.job, link);
              const dataPort = await tm.start();
              link.send({ type: 'started', role: message.role, resourceId: message.role, dataPort, pid: process.pid });
              break;
            }
            case 'deploy':
              await required(tm).deploy(message.partitions.map((json) => NettyShuffleDescriptor.fromJSON(json)));
              link.send({ type: 'deployed' });
              break;
            case 'run':
              // Not awaited: the queue must stay free for a `shutdown` (after a failure elsewhere).
              required(tm)
                .run()
                .then((result) => link.send({ type: 'finished', result }), fail);
              break;
            case 'shutdown':
              await required(tm).close();
              link.send({ type: 'closed' });
              resolve();
              break;
          }
        })
        .catch(fail);
    });
  });
}

function required(tm: TaskManager | null): TaskManager {
  if (tm === null) throw new Error('the JobMaster sent a message before configure');
  return tm;
}

interface SourceTask {
  readonly subtask: number;
  readonly partition: PipelinedResultPartition;
  readonly writer: RecordWriter<JobRecord>;
}

interface AggTask {
  readonly subtask: number;
  readonly gate: SingleInputGate;
  readonly metrics: InputChannelMetrics;
}

/** Running statistics of one channel's samples. */
class ChannelSampler {
  samples = 0;
  creditSum = 0;
  creditMin = Number.POSITIVE_INFINITY;
  creditMax = 0;
  backlogSum = 0;
  backlogMax = 0;
  queuedSum = 0;
  queuedMax = 0;

  constructor(
    readonly aggregator: number,
    readonly source: number,
    readonly channel: RemoteInputChannel,
  ) {}

  sample(): void {
    const ch = this.channel;
    if (ch.isReleased()) return;
    const credit = ch.getNumberOfAvailableBuffers();
    const backlog = Math.max(0, ch.getNumberOfRequiredBuffers() - ch.getInitialCredit());
    const queued = ch.unsynchronizedGetNumberOfQueuedBuffers();
    this.samples++;
    this.creditSum += credit;
    this.creditMin = Math.min(this.creditMin, credit);
    this.creditMax = Math.max(this.creditMax, credit);
    this.backlogSum += backlog;
    this.backlogMax = Math.max(this.backlogMax, backlog);
    this.queuedSum += queued;
    this.queuedMax = Math.max(this.queuedMax, queued);
  }

  toJSON(): ChannelStats {
    const n = Math.max(1, this.samples);
    return {
      aggregator: this.aggregator,
      source: this.source,
      samples: this.samples,
      creditAvg: this.creditSum / n,
      creditMin: this.samples === 0 ? 0 : this.creditMin,
      creditMax: this.creditMax,
      backlogAvg: this.backlogSum / n,
      backlogMax: this.backlogMax,
      queuedAvg: this.queuedSum / n,
      queuedMax: this.queuedMax,
    };
  }
}

/** One TaskManager: its container (shuffle + network module) and its subtasks. */
class TaskManager {
  private readonly container = new Container();
  private started = false;
  private closed: Promise<void> | null = null;
  private sources: SourceTask[] = [];
  private aggs: AggTask[] = [];
  private readonly liveRecords: number[];
  private readonly liveWaits: number[];

  constructor(
    readonly role: Role,
    private readonly job: JobConfig,
    private readonly link: TaskManagerLink,
  ) {
    const n = role === 'tm-source' ? job.sources : job.aggregators;
    this.liveRecords = new Array<number>(n).fill(0);
    this.liveWaits = new Array<number>(n).fill(0);
  }

  async start(): Promise<number> {
    const { job } = this;
    await this.container.load(
      shuffleModule({
        'taskmanager.memory.segment-size': job.segmentSize,
        'taskmanager.network.numberOfBuffers': job.numberOfBuffers,
        'taskmanager.network.memory.buffers-per-channel': job.buffersPerChannel,
        'taskmanager.network.memory.floating-buffers-per-gate': job.floatingBuffersPerGate,
        'execution.buffer-timeout': job.bufferTimeoutMs,
      }),
      networkModule({ serverAddress: '127.0.0.1', serverPort: 0, flowControlMode: job.flowControl }, { resourceId: this.role }),
    );
    this.started = true;
    return getService(this.container, ShuffleTokens.ShuffleEnvironment).start();
  }

  async deploy(partitions: readonly NettyShuffleDescriptor[]): Promise<void> {
    const env = getService(this.container, ShuffleTokens.ShuffleEnvironment);
    const { job } = this;
    if (this.role === 'tm-source') {
      const newWriter = getService(this.container, ShuffleTokens.RecordWriterBuilderFactory);
      for (let s = 0; s < job.sources; s++) {
        const ownerName = `source (${s + 1}/${job.sources})`;
        const [partition] = env.createResultPartitionWriters({ ownerName }, [{ shuffleDescriptor: partitions[s]!, numberOfSubpartitions: job.aggregators }]);
        partition!.setup(); // registers it: consumers' partition requests find it from now on
        const writer = newWriter<JobRecord>()
          .setSerializer(JobRecordSerializer.INSTANCE)
          .setChannelSelector(keyPartitioner())
          .setTaskName(ownerName)
          .build(partition!);
        this.sources.push({ subtask: s, partition: partition!, writer });
      }
    } else {
      for (let a = 0; a < job.aggregators; a++) {
        const metrics = new InputChannelMetrics();
        const ownerName = `aggregate (${a + 1}/${job.aggregators})`;
        const [gate] = env.createInputGates({ ownerName, inputChannelMetrics: metrics }, [{ consumedSubpartitionIndex: a, shuffleDescriptors: partitions }]);
        await gate!.setup();
        this.aggs.push({ subtask: a, gate: gate!, metrics });
      }
    }
  }

  async run(): Promise<TaskManagerResult> {
    const progress = setInterval(() => this.sendProgress(), PROGRESS_MS);
    try {
      if (this.role === 'tm-source') {
        const tasks = await Promise.all(this.sources.map((t) => this.runSource(t)));
        return { role: 'tm-source', tasks };
      }
      const samplers = this.aggs.flatMap((t) =>
        t.gate.getInputChannels().map((ch, source) => {
          if (!(ch instanceof RemoteInputChannel)) throw new Error(`aggregator ${t.subtask}: channel ${source} is not remote (${String(ch)})`);
          return new ChannelSampler(t.subtask, source, ch);
        }),
      );
      const sampling = setInterval(() => {
        for (const s of samplers) s.sample();
      }, SAMPLE_MS);
      try {
        const results = await Promise.all(this.aggs.map((t) => this.runAggregator(t)));
        const channels = samplers.map((s) => s.toJSON());
        return { role: 'tm-agg', tasks: results.map((r) => ({ ...r, channels: channels.filter((c) => c.aggregator === r.subtask) })) };
      } finally {
        clearInterval(sampling);
      }
    } finally {
      clearInterval(progress);
      this.sendProgress();
    }
  }

  private sendProgress(): void {
    this.link.send({
      type: 'progress',
      progress: { role: this.role, records: [...this.liveRecords], ...(this.role === 'tm-source' ? { waits: [...this.liveWaits] } : {}) },
    });
  }

  /** Source subtask: emits its share of the records, keyed, respecting back-pressure. */
  private async runSource(task: SourceTask): Promise<SourceTaskResult> {
    const { job } = this;
    const { subtask, writer, partition } = task;
    const count = recordsOfSource(job.records, job.sources, subtask);
    const stats = new KeyStats(job.keys);
    const selector = keyPartitioner();
    selector.setup(job.aggregators);
    const keyTargets = new Array<number>(job.keys).fill(-1);
    let waits = 0;
    const io = new TaskIOMetrics();
    writer.setMetricGroup(io); // times soft and hard back-pressure, counts records and bytes out
    const start = performance.now();
    let lastYield = start;
    try {
      for (let i = 0; i < count; i++) {
        const seq = subtask + i * job.sources;
        const key = keyOf(seq, job.keys);
        const value = valueOf(seq);
        stats.add(key, seq, value);
        const record: JobRecord = { key, seq, value, emittedAt: now() };
        if (keyTargets[key] === -1) keyTargets[key] = selector.selectChannel(record);
        this.liveRecords[subtask] = i + 1;
        if (!writer.emit(record)) {
          // The pool ran out of buffers (or one subpartition holds too many): the partition writes the
          // rest of the record as buffers come back, then the output becomes available again.
          waits++;
          this.liveWaits[subtask] = waits;
          await writer.getAvailableFuture();
          lastYield = performance.now();
        } else if ((i & 255) === 0 && performance.now() - lastYield > YIELD_MS) {
          await yieldToLoop();
          lastYield = performance.now();
        }
      }
      partition.finish(); // flushes and sends EndOfPartition on every subpartition
    } finally {
      writer.close(); // stops the periodic flusher
      partition.close(); // the partition's pool goes once its buffers come back from the network
    }
    return {
      subtask,
      records: count,
      waits,
      hardBackPressuredMs: io.hardBackPressuredTimeMsPerSecond.getCount(),
      softBackPressuredMs: io.softBackPressuredTimeMsPerSecond.getCount(),
      elapsedMs: performance.now() - start,
      keyTargets,
      keyStats: stats.toJSON(),
    };
  }

  /** Aggregator subtask: counts and checksums records per key until every channel ended. */
  private async runAggregator(task: AggTask): Promise<Omit<AggTaskResult, 'channels'>> {
    const { job } = this;
    const { subtask, gate, metrics } = task;
    const reader = new RecordReader(gate, JobRecordSerializer.INSTANCE);
    const stats = new KeyStats(job.keys);
    const latency = buildHistogram({ bitBucketSize: 32, numberOfSignificantValueDigits: 3, autoResize: true, useWebAssembly: false });
    const slowEvery = subtask === 0 ? job.slowEvery : 0;
    let records = 0;
    let corrupt = 0;
    let starvedMs = 0;
    let first = -1;
    let last = -1;
    const start = performance.now();
    let lastYield = start;
    try {
      while (!reader.isFinished()) {
        let r: JobRecord | undefined;
        while ((r = reader.pollNext()) !== undefined) {
          const t = now();
          if (first < 0) first = performance.now();
          latency.recordValue(Math.max(1, Math.round((t - r.emittedAt) * 1000)));
          if (r.key >= 0 && r.key < job.keys && r.key === keyOf(r.seq, job.keys) && r.value === valueOf(r.seq)) {
            stats.add(r.key, r.seq, r.value);
          } else {
            corrupt++;
          }
          records++;
          this.liveRecords[subtask] = records;
          if (slowEvery > 0 && records % slowEvery === 0) {
            await sleep(1); // the slow consumer: a millisecond of "work" every slowEvery records
            lastYield = performance.now();
          } else if ((records & 255) === 0 && performance.now() - lastYield > YIELD_MS) {
            await yieldToLoop();
            lastYield = performance.now();
          }
        }
        if (reader.isFinished()) break;
        const t0 = performance.now();
        await reader.getAvailableFuture();
        lastYield = performance.now();
        starvedMs += lastYield - t0;
      }
      last = performance.now();
    } finally {
      reader.close(); // recycles what the deserializers hold and releases the channels
    }
    const encoded = encodeIntoCompressedBase64(latency);
    latency.destroy();
    return {
      subtask,
      records,
      corrupt,
      activeMs: first < 0 ? 0 : last - first,
      elapsedMs: last - start,
      starvedMs,
      bytesIn: metrics.numBytesInRemote.getCount(),
      buffersIn: metrics.numBuffersInRemote.getCount(),
      latency: encoded,
      keyStats: stats.toJSON(),
    };
  }

  /** Closes the subtasks' resources (if a run failed half-way) and the container: connections, partitions, pools. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      for (const t of this.sources) {
        t.writer.close();
        t.partition.close();
      }
      for (const t of this.aggs) if (!t.gate.isClosed()) t.gate.close();
      if (this.started) await this.container.unbindAll();
    })();
    return this.closed;
  }
}
