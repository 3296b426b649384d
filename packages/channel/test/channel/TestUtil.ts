import type { ReferenceCounted } from '../../src/buffer/ReferenceCounted';
import { IllegalReferenceCountException } from '../../src/buffer/errors';

/** A reference-counted message for pipeline tests that need no real buffer. */
export class CountedMessage implements ReferenceCounted {
  private count = 1;
  deallocated = false;
  constructor(readonly label = 'msg') {}
  refCnt(): number {
    return this.count;
  }
  retain(increment = 1): this {
    if (this.count <= 0) throw new IllegalReferenceCountException(this.count, increment);
    this.count += increment;
    return this;
  }
  touch(): this {
    return this;
  }
  release(decrement = 1): boolean {
    if (this.count < decrement) throw new IllegalReferenceCountException(this.count, -decrement);
    this.count -= decrement;
    if (this.count === 0) {
      this.deallocated = true;
      return true;
    }
    return false;
  }
  toString(): string {
    return this.label;
  }
}
