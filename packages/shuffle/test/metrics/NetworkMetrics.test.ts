import { describe, expect, it, jest } from '@jest/globals';
import { LocalInputChannel } from '../../src/consumer/LocalInputChannel';
import type { LocalBufferPool } from '../../src/memory/LocalBufferPool';
import { SimpleCounter } from '../../src/metrics/Counter';
import { ExclusiveBuffersUsageGauge } from '../../src/metrics/ExclusiveBuffersUsageGauge';
import { FloatingBuffersUsageGauge } from '../../src/metrics/FloatingBuffersUsageGauge';
import { InputBufferPoolUsageGauge } from '../../src/metrics/InputBufferPoolUsageGauge';
import { InputBuffersGauge } from '../../src/metrics/InputBuffersGauge';
import { MeterView } from '../../src/metrics/MeterView';
import { SimpleMetricGroup } from '../../src/metrics/MetricGroup';
import { NettyShuffleMetricFactory } from '../../src/metrics/NettyShuffleMetricFactory';
import { OutputBufferPoolUsageGauge } from '../../src/metrics/OutputBufferPoolUsageGauge';
import { OutputBuffersGauge } from '../../src/metrics/OutputBuffersGauge';
import { TaskIOMetrics } from '../../src/metrics/TaskIOMetrics';
import { TimerGauge } from '../../src/metrics/TimerGauge';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { dataBuffer, newGate, TestPartitionProvider, TestRemoteChannel } from '../consumer/ConsumerTestUtils';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';

installPoolChecks();

/** A clock the test moves. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('input buffer gauges', () => {
  it('measure exclusive, floating and pool usage and the input queue length of remote channels', async () => {
    const global = newGlobalPool(16, 32);
    let floatingPool: LocalBufferPool | null = null;
    const gate = newGate({ numberOfInputChannels: 2, memorySegmentProvider: global }, () => (floatingPool = global.createBufferPool(4, 4)));
    const channels = [new TestRemoteChannel(gate, 0, global), new TestRemoteChannel(gate, 1, global)];
    gate.setInputChannels(...channels);
    const floating = new FloatingBuffersUsageGauge([gate]);
    const exclusive = new ExclusiveBuffersUsageGauge([gate]);
    const inPoolUsage = new InputBufferPoolUsageGauge(floating, exclusive, [gate]);
    const queueLength = new InputBuffersGauge([gate]);
    expect([floating.getValue(), queueLength.getValue()]).toEqual([0, 0]); // no floating pool yet

    await gate.setup();
    // 4 exclusive (2 x 2), 4 floating; nothing used.
    expect([floating.getValue(), exclusive.getValue(), inPoolUsage.getValue()]).toEqual([0, 0, 0]);

    channels[0]!.onSenderBacklog(2); // 2 floating taken, held unused
    expect(floating.getValue()).toBe(0);
    channels[0]!.receive(); // uses a floating one
    channels[0]!.receive(); // and the second
    channels[0]!.receive(); // then an exclusive one
    expect(floating.getValue()).toBe(2 / 4);
    expect(exclusive.getValue()).toBe(1 / 4);
    expect(inPoolUsage.getValue()).toBe(3 / 8);
    expect(queueLength.getValue()).toBe(3);
    expect(floatingPool).not.toBeNull();

    gate.close();
    expect(queueLength.getValue()).toBe(0);
  });

  it('count local bytes and buffers through the shared channel counters', () => {
    const pool = newGlobalPool(8, 64).createBufferPool(2, 4);
    const group = new SimpleMetricGroup('task');
    const channelMetrics = NettyShuffleMetricFactory.createInputChannelMetrics(group);
    const provider = new TestPartitionProvider();
    const gate = newGate({ numberOfInputChannels: 2 });
    const ids = [ResultPartitionID.random(), ResultPartitionID.random()];
    const views = ids.map((id) => provider.register(id));
    gate.setInputChannels(...ids.map((id, i) => new LocalInputChannel(gate, i, id, 0, provider, channelMetrics.localOptions())));
    gate.requestPartitions();
    views[0]!.add(dataBuffer(pool, 10));
    views[1]!.add(dataBuffer(pool, 5));
    for (let next = gate.pollNext(); next !== null; next = gate.pollNext()) next.getBuffer().recycleBuffer();

    const snapshot = group.snapshot();
    expect(snapshot['task.Shuffle.Netty.Input.numBytesInLocal']).toBe(15);
    expect(snapshot['task.Shuffle.Netty.Input.numBuffersInLocal']).toBe(2);
    expect(snapshot['task.Shuffle.Netty.Input.numBytesInRemote']).toBe(0);
    gate.close();
    pool.lazyDestroy();
  });

  it('are registered under Flink names', () => {
    const global = newGlobalPool(4, 32);
    const gate = newGate({ numberOfInputChannels: 1 });
    gate.setInputChannels(new TestRemoteChannel(gate, 0, global));
    const group = new SimpleMetricGroup('task');
    NettyShuffleMetricFactory.registerInputMetrics(group, [gate]);
    NettyShuffleMetricFactory.registerOutputMetrics(group, [], []);
    expect(Object.keys(group.snapshot()).sort()).toEqual([
      'task.Shuffle.Netty.Input.Buffers.inPoolUsage',
      'task.Shuffle.Netty.Input.Buffers.inputExclusiveBuffersUsage',
      'task.Shuffle.Netty.Input.Buffers.inputFloatingBuffersUsage',
      'task.Shuffle.Netty.Input.Buffers.inputQueueLength',
      'task.Shuffle.Netty.Output.Buffers.outPoolUsage',
      'task.Shuffle.Netty.Output.Buffers.outputQueueLength',
    ]);
    gate.close();
  });
});

describe('output gauges', () => {
  it('outPoolUsage is used buffers over pool size, outputQueueLength the sum of the queues', () => {
    const global = newGlobalPool(8, 32);
    const pool = global.createBufferPool(4, 4);
    const usage = new OutputBufferPoolUsageGauge([pool]);
    expect(usage.getValue()).toBe(0);
    const taken = [pool.requestBuffer()!, pool.requestBuffer()!, pool.requestBuffer()!];
    expect(usage.getValue()).toBe(3 / 4);
    for (const b of taken) b.recycleBuffer();
    expect(usage.getValue()).toBe(0);
    pool.lazyDestroy();

    const queues = [{ unsynchronizedGetNumberOfQueuedBuffers: () => 3 }, { unsynchronizedGetNumberOfQueuedBuffers: () => 4 }];
    expect(new OutputBuffersGauge(queues).getValue()).toBe(7);
    expect(new OutputBufferPoolUsageGauge([]).getValue()).toBe(0);
  });
});

describe('TimerGauge', () => {
  it('reports the time in the measured state per second of the last interval', () => {
    const clock = manualClock();
    const timer = new TimerGauge(clock.now);
    timer.markStart();
    clock.advance(200);
    timer.markEnd();
    clock.advance(300);
    timer.markStart();
    clock.advance(100);
    timer.markEnd();
    clock.advance(400);
    timer.update(); // 300 ms of 1000
    expect(timer.getValue()).toBe(300);
    expect(timer.getMaxSingleMeasurement()).toBe(200);
    expect(timer.getCount()).toBe(300);
  });

  it('counts a measurement still running at update into both intervals', () => {
    const clock = manualClock();
    const timer = new TimerGauge(clock.now);
    clock.advance(500);
    timer.markStart();
    clock.advance(500);
    timer.update();
    expect(timer.getValue()).toBe(500);
    clock.advance(2000);
    timer.update();
    expect(timer.getValue()).toBe(1000);
    expect(timer.isMeasuring()).toBe(true);
    timer.markEnd();
    expect(timer.getCount()).toBe(2500);
  });
});

describe('TaskIOMetrics and SimpleMetricGroup', () => {
  it('register counters, their rates and the back-pressure timer; update closes the interval', () => {
    const clock = manualClock();
    const group = new SimpleMetricGroup('task');
    const io = new TaskIOMetrics(group, clock.now);
    io.numBuffersOut.inc();
    io.numBytesOut.inc(32768);
    io.hardBackPressuredTimeMsPerSecond.markStart();
    clock.advance(600);
    io.hardBackPressuredTimeMsPerSecond.markEnd();
    io.softBackPressuredTimeMsPerSecond.markStart();
    clock.advance(400);
    io.softBackPressuredTimeMsPerSecond.markEnd();
    clock.advance(1000);
    group.update();
    const snapshot = group.snapshot();
    expect(snapshot['task.numBytesOut']).toBe(32768);
    expect(snapshot['task.numBytesOutPerSecond']).toBe(16384);
    expect(snapshot['task.numBuffersOut']).toBe(1);
    expect(snapshot['task.hardBackPressuredTimeMsPerSecond']).toBe(300);
    expect(snapshot['task.softBackPressuredTimeMsPerSecond']).toBe(200);
    expect(snapshot['task.backPressuredTimeMsPerSecond']).toBe(500);
    expect(() => group.counter('numBytesOut', new SimpleCounter())).toThrow(/already registered/);
  });

  it('sum the counters of the objects that count (SumCounter) with their own increments', () => {
    const group = new SimpleMetricGroup('task');
    const io = new TaskIOMetrics(group);
    const local = new SimpleCounter();
    const remote = new SimpleCounter();
    io.reuseBytesInputCounter(local);
    io.reuseBytesInputCounter(remote);
    local.inc(10);
    remote.inc(32);
    io.numBytesIn.inc(1);
    expect(io.numBytesIn.getCount()).toBe(43);
    const writerRecords = new SimpleCounter();
    io.reuseRecordsOutputCounter(writerRecords);
    writerRecords.inc(5);
    expect(group.snapshot()['task.numRecordsOut']).toBe(5);
  });

  it('MeterView reads any counter', () => {
    const clock = manualClock();
    const counter = new SimpleCounter();
    const meter = new MeterView(counter, clock.now);
    counter.inc(50);
    clock.advance(500);
    meter.update();
    expect(meter.getRate()).toBe(100);
    expect(meter.getCount()).toBe(50);
    const spy = jest.fn(() => 0);
    expect(new MeterView({ getCount: spy }, clock.now).getValue()).toBe(0);
  });
});
