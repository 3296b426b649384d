import { describe, expect, it } from '@jest/globals';
import { DefaultPromise } from '@sluice/channel';
import { AvailabilityHelper, AvailabilityProvider } from '../../src/memory';

describe('AvailabilityHelper', () => {
  it('starts unavailable, flips to the shared AVAILABLE future and hands back the one to complete', () => {
    const helper = new AvailabilityHelper();
    expect(helper.isAvailable()).toBe(false);
    const pending = helper.getAvailableFuture();
    const toNotify = helper.getUnavailableToResetAvailable();
    expect(toNotify).toBe(pending);
    expect(helper.getAvailableFuture()).toBe(AvailabilityProvider.AVAILABLE);
    expect(helper.isApproximatelyAvailable()).toBe(true);
    expect(pending.isDone()).toBe(false); // the caller completes it, after its own state is consistent
    AvailabilityHelper.complete(toNotify);
    expect(pending.isDone()).toBe(true);
    AvailabilityHelper.complete(AvailabilityProvider.AVAILABLE); // no-op
  });

  it('makes a new pending future only when it was available', () => {
    const helper = new AvailabilityHelper();
    helper.resetAvailable();
    helper.resetUnavailable();
    const first = helper.getAvailableFuture();
    helper.resetUnavailable();
    expect(helper.getAvailableFuture()).toBe(first);
    expect(helper.getUnavailableToResetUnavailable()).toBe(first);
    expect(helper.getAvailableFuture()).not.toBe(first);
  });

  it('combines futures with and/or', async () => {
    const a = new DefaultPromise<void>();
    const b = new DefaultPromise<void>();
    const both = AvailabilityProvider.and(a, b);
    const either = AvailabilityProvider.or(a, b);
    a.setSuccess();
    expect([both.isDone(), either.isDone()]).toEqual([false, true]);
    b.setSuccess();
    expect(both.isDone()).toBe(true);
    await both;
    expect(AvailabilityProvider.and(AvailabilityProvider.AVAILABLE, AvailabilityProvider.AVAILABLE)).toBe(AvailabilityProvider.AVAILABLE);
    const c = new DefaultPromise<void>();
    expect(AvailabilityProvider.and(AvailabilityProvider.AVAILABLE, c)).toBe(c);
    expect(AvailabilityProvider.or(c, AvailabilityProvider.AVAILABLE)).toBe(AvailabilityProvider.AVAILABLE);
  });
});
