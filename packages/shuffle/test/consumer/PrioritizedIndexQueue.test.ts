import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PrioritizedIndexQueue } from '../../src/consumer/PrioritizedIndexQueue';

function drain(queue: PrioritizedIndexQueue): number[] {
  const out: number[] = [];
  for (let i = queue.poll(); i >= 0; i = queue.poll()) out.push(i);
  return out;
}

describe('PrioritizedIndexQueue', () => {
  it('is FIFO and queues every index at most once', () => {
    const queue = new PrioritizedIndexQueue(4);
    queue.add(2, false);
    queue.add(0, false);
    queue.add(2, false);
    queue.add(3, false);
    expect(queue.size()).toBe(3);
    expect(queue.contains(2)).toBe(true);
    expect(drain(queue)).toEqual([2, 0, 3]);
    expect(queue.contains(2)).toBe(false);
    expect(queue.poll()).toBe(-1);
  });

  it('puts priority elements behind earlier priority elements, ahead of the rest', () => {
    const queue = new PrioritizedIndexQueue(5);
    queue.add(0, false);
    queue.add(1, false);
    queue.add(2, true);
    queue.add(3, true);
    expect(queue.getNumPriorityElements()).toBe(2);
    expect(queue.containsPriorityElement(3)).toBe(true);
    expect(queue.containsPriorityElement(0)).toBe(false);
    expect(drain(queue)).toEqual([2, 3, 0, 1]);
    expect(queue.getNumPriorityElements()).toBe(0);
  });

  it('moves an already queued element to the priority part', () => {
    const queue = new PrioritizedIndexQueue(4);
    queue.add(0, false);
    queue.add(1, false);
    queue.add(2, false);
    queue.add(2, true);
    queue.add(2, true);
    expect(queue.size()).toBe(3);
    expect(drain(queue)).toEqual([2, 0, 1]);
  });

  it('removes elements anywhere, keeping the priority count right', () => {
    const queue = new PrioritizedIndexQueue(4);
    queue.add(0, false);
    queue.add(1, true);
    queue.add(2, false);
    expect(queue.remove(1)).toBe(true);
    expect(queue.remove(1)).toBe(false);
    expect(queue.getNumPriorityElements()).toBe(0);
    expect(queue.remove(2)).toBe(true);
    expect(drain(queue)).toEqual([0]);
  });

  it('behaves like a model queue for any sequence of operations', () => {
    const n = 6;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), index: fc.integer({ min: 0, max: n - 1 }), priority: fc.boolean() }),
      fc.record({ kind: fc.constant('poll' as const) }),
      fc.record({ kind: fc.constant('remove' as const), index: fc.integer({ min: 0, max: n - 1 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const queue = new PrioritizedIndexQueue(n);
        let priority: number[] = [];
        let normal: number[] = [];
        for (const o of ops) {
          if (o.kind === 'add') {
            if (priority.includes(o.index)) continue;
            if (normal.includes(o.index)) {
              if (!o.priority) continue;
              normal = normal.filter((i) => i !== o.index);
            }
            if (o.priority) priority.push(o.index);
            else normal.push(o.index);
            queue.add(o.index, o.priority);
          } else if (o.kind === 'poll') {
            const expected = priority.shift() ?? normal.shift() ?? -1;
            expect(queue.poll()).toBe(expected);
          } else {
            const was = priority.includes(o.index) || normal.includes(o.index);
            priority = priority.filter((i) => i !== o.index);
            normal = normal.filter((i) => i !== o.index);
            expect(queue.remove(o.index)).toBe(was);
          }
          expect(queue.size()).toBe(priority.length + normal.length);
          expect(queue.getNumPriorityElements()).toBe(priority.length);
        }
        expect(drain(queue)).toEqual([...priority, ...normal]);
      }),
    );
  });
});
