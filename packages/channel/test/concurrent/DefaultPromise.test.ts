import { describe, expect, it } from '@jest/globals';
import { DefaultPromise } from '../../src/concurrent/DefaultPromise';
import { DefaultEventLoop } from '../../src/concurrent/DefaultEventLoop';
import { CancellationException } from '../../src/concurrent/errors';
import { PromiseCombiner } from '../../src/concurrent/PromiseCombiner';
import { IllegalStateException } from '../../src/util/SluiceError';

describe('DefaultPromise', () => {
  it('notifies listeners once, in insertion order, after completion', () => {
    const p = new DefaultPromise<number>();
    const seen: string[] = [];
    p.addListener(() => seen.push('a'));
    p.addListener(() => seen.push('b'));
    p.addListener(() => seen.push('c'));
    expect(seen).toEqual([]);
    p.setSuccess(42);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(p.isDone()).toBe(true);
    expect(p.isSuccess()).toBe(true);
    expect(p.getNow()).toBe(42);
    p.trySuccess(1);
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('notifies a listener added after completion right away', () => {
    const p = new DefaultPromise<void>().setSuccess();
    let called = 0;
    p.addListener(() => called++);
    expect(called).toBe(1);
  });

  it('refuses a second completion with setSuccess/setFailure but not with try*', () => {
    const p = new DefaultPromise<void>();
    p.setFailure(new Error('boom'));
    expect(() => p.setSuccess()).toThrow(IllegalStateException);
    expect(() => p.setSuccess()).toThrow(/complete already/);
    expect(p.trySuccess()).toBe(false);
    expect(p.tryFailure(new Error('again'))).toBe(false);
    expect(p.cause()?.message).toBe('boom');
  });

  it('is awaitable: resolves with the value and rejects with the cause', async () => {
    const ok = new DefaultPromise<string>();
    setTimeout(() => ok.setSuccess('done'), 1);
    await expect(ok).resolves.toBe('done');
    const bad = new DefaultPromise<string>();
    setTimeout(() => bad.setFailure(new Error('nope')), 1);
    await expect(bad).rejects.toThrow('nope');
  });

  it('cancels only while incomplete and cancellable', () => {
    const p = new DefaultPromise<void>();
    expect(p.setUncancellable()).toBe(true);
    expect(p.cancel()).toBe(false);
    const q = new DefaultPromise<void>();
    expect(q.cancel()).toBe(true);
    expect(q.isCancelled()).toBe(true);
    expect(q.cause()).toBeInstanceOf(CancellationException);
    expect(q.setUncancellable()).toBe(false);
  });

  it('keeps running listeners when one throws', () => {
    const p = new DefaultPromise<void>();
    const seen: number[] = [];
    p.addListener(() => {
      throw new Error('listener failure');
    });
    p.addListener(() => seen.push(2));
    p.setSuccess();
    expect(seen).toEqual([2]);
  });

  it('notifies on its executor when completed from outside the loop', async () => {
    const loop = new DefaultEventLoop();
    const p = new DefaultPromise<void>(loop);
    let inLoop: boolean | undefined;
    p.addListener(() => {
      inLoop = loop.inEventLoop();
    });
    p.setSuccess();
    expect(inLoop).toBeUndefined(); // queued, not inline: we are outside the loop
    await new Promise((r) => setImmediate(r));
    expect(inLoop).toBe(true);
    await loop.shutdownGracefully(0, 0);
  });

  it('renders its state in toString', () => {
    const p = new DefaultPromise<number>();
    expect(p.toString()).toMatch(/^DefaultPromise@[0-9a-f]+\(incomplete\)$/);
    p.setSuccess(7);
    expect(p.toString()).toMatch(/\(success: 7\)$/);
  });
});

describe('PromiseCombiner', () => {
  it('succeeds when every added future succeeds and fails with the first failure otherwise', () => {
    const a = new DefaultPromise<void>();
    const b = new DefaultPromise<void>();
    const aggregate = new DefaultPromise<void>();
    const combiner = new PromiseCombiner();
    combiner.addAll(a, b);
    combiner.finish(aggregate);
    a.setSuccess();
    expect(aggregate.isDone()).toBe(false);
    b.setFailure(new Error('second failed'));
    expect(aggregate.cause()?.message).toBe('second failed');
    expect(() => combiner.add(new DefaultPromise<void>())).toThrow(IllegalStateException);
  });
});
