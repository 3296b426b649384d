import { afterEach, describe, expect, it } from '@jest/globals';
import { DefaultEventLoop } from '../../src/concurrent/DefaultEventLoop';
import { DefaultEventLoopGroup } from '../../src/concurrent/DefaultEventLoopGroup';
import { RejectedExecutionException } from '../../src/concurrent/errors';

const groups: DefaultEventLoopGroup[] = [];
function newGroup(n = 1): DefaultEventLoopGroup {
  const g = new DefaultEventLoopGroup(n);
  groups.push(g);
  return g;
}
afterEach(async () => {
  await Promise.all(groups.splice(0).map((g) => g.shutdownGracefully(0, 0)));
});

describe('DefaultEventLoop', () => {
  it('runs tasks FIFO, with inEventLoop() true only inside them', async () => {
    const loop = newGroup().next();
    const order: number[] = [];
    const inside: boolean[] = [];
    expect(loop.inEventLoop()).toBe(false);
    for (let i = 0; i < 100; i++) {
      loop.execute(() => {
        order.push(i);
        inside.push(loop.inEventLoop());
      });
    }
    await loop.submit(() => undefined);
    expect(order).toEqual([...Array(100).keys()]);
    expect(inside.every(Boolean)).toBe(true);
  });

  it('runs a task queued from inside a task after the current one returns (no re-entrance)', async () => {
    const loop = newGroup().next();
    const seen: string[] = [];
    loop.execute(() => {
      loop.execute(() => seen.push('inner'));
      seen.push('outer-end');
    });
    await loop.submit(() => undefined);
    expect(seen).toEqual(['outer-end', 'inner']);
  });

  it('yields to I/O when a task storm exceeds one turn', async () => {
    const loop = newGroup().next();
    let ran = 0;
    let immediateRanBeforeEnd = false;
    const total = 20000;
    for (let i = 0; i < total; i++) loop.execute(() => void ran++);
    setImmediate(() => {
      immediateRanBeforeEnd = ran < total;
    });
    await loop.submit(() => undefined);
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(total);
    expect(immediateRanBeforeEnd).toBe(true);
  });

  it('submit returns a future of the result or the thrown error', async () => {
    const loop = newGroup().next();
    await expect(loop.submit(() => 5)).resolves.toBe(5);
    await expect(
      loop.submit(() => {
        throw new Error('task failed');
      }),
    ).rejects.toThrow('task failed');
  });

  describe('lazyExecute', () => {
    it('runs after the tasks and microtasks that the current callback started, before the next macrotask', async () => {
      const loop = newGroup().next();
      const seen: string[] = [];
      loop.execute(() => {
        setImmediate(() => seen.push('next macrotask'));
        loop.lazyExecute(() => seen.push(`lazy 1 (inEventLoop ${loop.inEventLoop()})`));
        loop.lazyExecute(() => seen.push('lazy 2'));
        loop.execute(() => {
          seen.push('task');
          // A chain several microtasks long (an awaiting task resuming, then writing): still first.
          void Promise.resolve()
            .then(() => Promise.resolve())
            .then(() => seen.push('end of the microtask chain'));
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(seen).toEqual(['task', 'end of the microtask chain', 'lazy 1 (inEventLoop true)', 'lazy 2', 'next macrotask']);
    });

    it('counts as pending work: shutdownGracefully runs it first; after termination it is rejected', async () => {
      const loop = new DefaultEventLoop();
      let ran = false;
      loop.lazyExecute(() => void (ran = true));
      expect(loop.pendingTasks()).toBe(1);
      await loop.shutdownGracefully(0, 1000);
      expect(ran).toBe(true);
      expect(() => loop.lazyExecute(() => undefined)).toThrow(RejectedExecutionException);
    });
  });

  it('runs scheduled tasks inside the loop after their delay, and not when cancelled', async () => {
    const loop = newGroup().next();
    const start = performance.now();
    let elapsed = -1;
    let inLoop = false;
    const f = loop.schedule(() => {
      elapsed = performance.now() - start;
      inLoop = loop.inEventLoop();
    }, 20);
    let cancelledRan = false;
    const g = loop.schedule(() => {
      cancelledRan = true;
    }, 5);
    expect(g.cancel()).toBe(true);
    await f;
    expect(elapsed).toBeGreaterThanOrEqual(15);
    expect(inLoop).toBe(true);
    expect(cancelledRan).toBe(false);
  });

  it('repeats scheduleAtFixedRate until cancelled', async () => {
    const loop = newGroup().next();
    let runs = 0;
    const f = loop.scheduleAtFixedRate(() => {
      if (++runs === 3) f.cancel();
    }, 0, 2);
    await f.awaitDone();
    expect(runs).toBe(3);
    expect(f.isCancelled()).toBe(true);
  });

  it('terminates after shutdownGracefully, cancels scheduled tasks and rejects new ones', async () => {
    const loop = new DefaultEventLoop();
    const scheduled = loop.schedule(() => undefined, 60_000);
    await loop.shutdownGracefully(0, 10);
    expect(loop.isTerminated()).toBe(true);
    expect(scheduled.isCancelled()).toBe(true);
    expect(() => loop.execute(() => undefined)).toThrow(RejectedExecutionException);
  });
});

describe('DefaultEventLoopGroup', () => {
  it('hands out its loops round robin', () => {
    const g = newGroup(3);
    const [a, b, c] = g.loops();
    expect([g.next(), g.next(), g.next(), g.next()]).toEqual([a, b, c, a]);
  });

  it('completes its termination future when every loop terminated', async () => {
    const g = new DefaultEventLoopGroup(2);
    await g.shutdownGracefully(0, 10);
    expect(g.isTerminated()).toBe(true);
    expect(g.terminationFuture().isSuccess()).toBe(true);
  });
});
