// The network path across two processes on 127.0.0.1: a producer process (forked; whole DI-built shuffle
// environment) and this process as the consumer. Every record is checked exactly once; a slow channel
// next to fast ones shows credit-based flow control against Flink 1.4's push mode; killing the producer
// fails every channel of its connection.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Container } from 'inversify';
import { RecordReader } from '../../src/consumer/RecordReader';
import type { SingleInputGate } from '../../src/consumer/SingleInputGate';
import { networkModule } from '../../src/di/networkModule';
import { shuffleModule } from '../../src/di/shuffleModule';
import { ShuffleTokens, getService } from '../../src/di/tokens';
import { LongSerializer } from '../../src/io/typeutils/LongSerializer';
import { RemoteTransportException } from '../../src/netty/errors';
import type { FlowControlMode } from '../../src/netty/NettyConfig';
import { NettyShuffleDescriptor } from '../../src/shuffle/NettyShuffleDescriptor';
import { ProducerChild } from './ProducerChild';
import { splitRecord, subpartitionOf, type ProducerArgs } from './protocol';

jest.setTimeout(180_000);

const children: ProducerChild[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});

async function consumerEnvironment(flowControl: FlowControlMode, buffers = 2048, floatingPerGate = 8): Promise<Container> {
  const container = new Container();
  container.load(
    shuffleModule({ 'taskmanager.network.numberOfBuffers': buffers, 'taskmanager.network.memory.floating-buffers-per-gate': floatingPerGate }),
    networkModule({ flowControlMode: flowControl }, { resourceId: 'tm-consumer' }),
  );
  await getService(container, ShuffleTokens.ShuffleEnvironment).start();
  return container;
}

async function startProducer(args: ProducerArgs): Promise<{ child: ProducerChild; descriptors: NettyShuffleDescriptor[] }> {
  const child = new ProducerChild(args);
  children.push(child);
  const ready = await child.next('ready');
  return { child, descriptors: ready.descriptors.map((d) => NettyShuffleDescriptor.fromJSON(d)) };
}

/** Reads a gate to its end; checks per-(partition, subpartition) order and sums counts/sums into the tables. */
async function drain(gate: SingleInputGate, subpartitions: number, counts: number[][], sums: number[][], onRecord?: () => Promise<void> | void): Promise<number> {
  const reader = new RecordReader(gate, LongSerializer.INSTANCE);
  const last = new Map<string, number>();
  let n = 0;
  try {
    for await (const value of reader) {
      const { p, i } = splitRecord(value);
      const s = subpartitionOf(value, subpartitions);
      const key = `${p}/${s}`;
      const previous = last.get(key) ?? -1;
      if (i <= previous) throw new Error(`partition ${p} subpartition ${s}: record ${i} after ${previous}`);
      last.set(key, i);
      counts[p]![s]!++;
      sums[p]![s] = (sums[p]![s]! + i) % 2 ** 31;
      n++;
      if (onRecord !== undefined) await onRecord();
    }
  } finally {
    reader.close();
  }
  return n;
}

describe('two processes on 127.0.0.1', () => {
  it('4 producers × 4 consumers × 100 subpartitions: every record arrives exactly once, in order per subpartition', async () => {
    const args: ProducerArgs = { producers: 4, subpartitions: 100, records: 500_000, buffers: 2048, bufferTimeoutMs: 10, flowControl: 'credit' };
    const { child, descriptors } = await startProducer(args);
    const container = await consumerEnvironment('credit');
    const env = getService(container, ShuffleTokens.ShuffleEnvironment);
    // Consumer c reads subpartitions [25c, 25c + 24] of every producer: 100 channels per consumer, 400 in all,
    // over one TCP connection.
    const gates = [0, 1, 2, 3].map((c) => {
      const [gate] = env.createInputGates({ ownerName: `consumer (${c + 1}/4)` }, [
        { consumedSubpartitionIndex: { start: 25 * c, end: 25 * c + 24 }, shuffleDescriptors: descriptors },
      ]);
      return gate!;
    });
    const counts = descriptors.map(() => new Array<number>(args.subpartitions).fill(0));
    const sums = descriptors.map(() => new Array<number>(args.subpartitions).fill(0));
    for (const gate of gates) await gate.setup();
    for (const gate of gates) gate.requestPartitions();
    child.send({ type: 'go' });
    const read = await Promise.all(gates.map((gate) => drain(gate, args.subpartitions, counts, sums)));
    expect(env.getConnectionManager().getNumberOfActiveConnections()).toBeLessThanOrEqual(1);
    const written = await child.next('written');
    expect(read.reduce((a, b) => a + b, 0)).toBe(args.producers * args.records);
    expect(counts).toEqual(written.counts);
    expect(sums).toEqual(written.sums);
    for (const gate of gates) gate.close();
    child.send({ type: 'exit' });
    await child.next('closed');
    await container.unbindAll(); // throws if a network buffer did not come back
  });

  async function slowNextToFast(flowControl: FlowControlMode): Promise<{ fastFinishedBeforeSlowRead: boolean; slowReadWhenFastFinished: number }> {
    // Two producer tasks (partitions of one subpartition each) in one process, read over one connection:
    // gate "slow" reads partition 0 and does not read at all until the fast gate either finished or made
    // no progress for a while; gate "fast" reads partition 1. (Separate producer tasks: one writer feeding
    // both would itself be back-pressured by the slow channel, in any flow-control mode.)
    const args: ProducerArgs = { producers: 2, subpartitions: 1, records: 400_000, buffers: 512, bufferTimeoutMs: 5, flowControl };
    const { child, descriptors } = await startProducer(args);
    const container = await consumerEnvironment(flowControl, 256, 4);
    const env = getService(container, ShuffleTokens.ShuffleEnvironment);
    const [slow, fast] = descriptors.map((d, i) => env.createInputGates({ ownerName: `consumer ${i}` }, [{ consumedSubpartitionIndex: 0, shuffleDescriptors: [d] }])[0]!);
    const counts = descriptors.map(() => [0]);
    const sums = descriptors.map(() => [0]);
    await slow!.setup();
    await fast!.setup();
    slow!.requestPartitions();
    fast!.requestPartitions();
    child.send({ type: 'go' });
    let fastRead = 0;
    let fastDone = false;
    let slowRead = 0;
    let slowReadWhenFastFinished = -1;
    const fastTask = drain(fast!, 1, counts, sums, () => void fastRead++).then(() => {
      fastDone = true;
      slowReadWhenFastFinished = slowRead;
    });
    // The slow task starts when the fast one finished, or once the fast one stopped making progress.
    let seen = -1;
    while (!fastDone && fastRead !== seen) {
      seen = fastRead;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const fastFinishedBeforeSlowRead = fastDone;
    const slowTask = drain(slow!, 1, counts, sums, () => void slowRead++);
    await Promise.all([fastTask, slowTask]);
    const written = await child.next('written');
    expect(counts).toEqual(written.counts);
    expect(sums).toEqual(written.sums);
    slow!.close();
    fast!.close();
    child.send({ type: 'exit' });
    await child.next('closed');
    await container.unbindAll();
    return { fastFinishedBeforeSlowRead, slowReadWhenFastFinished };
  }

  it('credit mode: a channel whose consumer does not read never blocks the other channel of the connection', async () => {
    const r = await slowNextToFast('credit');
    expect(r).toEqual({ fastFinishedBeforeSlowRead: true, slowReadWhenFastFinished: 0 });
  });

  it('push mode (Flink 1.4): the channel whose consumer does not read stalls the whole connection', async () => {
    const r = await slowNextToFast('push');
    expect(r.fastFinishedBeforeSlowRead).toBe(false); // the fast consumer stopped making progress
    expect(r.slowReadWhenFastFinished).toBeGreaterThan(0); // it finished only after the slow one read
  });

  it('the producer process killed mid-stream: every channel of the connection fails within a second', async () => {
    const args: ProducerArgs = { producers: 2, subpartitions: 10, records: 50_000_000, buffers: 512, bufferTimeoutMs: 5, flowControl: 'credit' };
    const { child, descriptors } = await startProducer(args);
    const container = await consumerEnvironment('credit', 512);
    const env = getService(container, ShuffleTokens.ShuffleEnvironment);
    // Every subpartition is read (an unread one would fill up and back-pressure the producer).
    const gates = env.createInputGates(
      { ownerName: 'consumer' },
      descriptors.map((d) => ({ consumedSubpartitionIndex: { start: 0, end: args.subpartitions - 1 }, shuffleDescriptors: [d] })),
    );
    for (const gate of gates) await gate.setup();
    for (const gate of gates) gate.requestPartitions();
    child.send({ type: 'go' });
    let killedAt = 0;
    let killed = false;
    const failures = gates.map(async (gate) => {
      const reader = new RecordReader(gate, LongSerializer.INSTANCE);
      let n = 0;
      try {
        for await (const value of reader) {
          void value;
          if (++n === 20_000 && !killed) {
            killed = true;
            killedAt = performance.now();
            child.kill();
          }
        }
        return { error: null as unknown, afterMs: performance.now() - killedAt, channelErrors: [] as unknown[] };
      } catch (err) {
        const afterMs = performance.now() - killedAt;
        // Not only the error the gate surfaced: every channel of the connection holds the failure.
        const channelErrors = gate.getInputChannels().map((channel) => {
          try {
            channel?.checkError();
            return null;
          } catch (channelError) {
            return channelError;
          }
        });
        return { error: err, afterMs, channelErrors };
      } finally {
        reader.close();
      }
    });
    const results = await Promise.all(failures);
    for (const r of results) {
      expect(r.error).toBeInstanceOf(RemoteTransportException);
      // FIN from the dead process's socket: "Connection unexpectedly closed …"; RST (it had unread bytes):
      // "Lost connection …" — Flink's two wordings for the same loss.
      expect((r.error as Error).message).toMatch(
        /^(Connection unexpectedly closed by remote task manager|Lost connection to task manager) '127\.0\.0\.1:\d+'\..*remote task manager was lost/,
      );
      expect(r.afterMs).toBeLessThan(1000);
      expect(r.channelErrors).toHaveLength(args.subpartitions);
      for (const channelError of r.channelErrors) {
        expect(channelError).toBeInstanceOf(RemoteTransportException);
        expect((channelError as Error).message).toMatch(/'127\.0\.0\.1:\d+'\..*remote task manager was lost/);
      }
    }
    for (const gate of gates) gate.close();
    await container.unbindAll();
  });
});
