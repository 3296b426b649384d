const keys = new Map<string, AttributeKey<unknown>>();

/** Port of io.netty.util.AttributeKey: a typed key of a channel attribute, one instance per name. */
export class AttributeKey<T> {
  private constructor(readonly name: string) {}

  /** The key named `name`, created on first use. */
  static valueOf<T>(name: string): AttributeKey<T> {
    let key = keys.get(name);
    if (key === undefined) {
      key = new AttributeKey<unknown>(name);
      keys.set(name, key);
    }
    return key as AttributeKey<T>;
  }

  /** Creates a key; throws if the name is taken. */
  static newInstance<T>(name: string): AttributeKey<T> {
    if (keys.has(name)) throw new RangeError(`'${name}' is already in use`);
    return AttributeKey.valueOf<T>(name);
  }

  toString(): string {
    return this.name;
  }
}

/** Port of io.netty.util.Attribute: a mutable slot of an {@link AttributeMap}. */
export interface Attribute<T> {
  key(): AttributeKey<T>;
  get(): T | undefined;
  set(value: T | undefined): void;
  getAndSet(value: T | undefined): T | undefined;
  setIfAbsent(value: T): T | undefined;
  compareAndSet(expected: T | undefined, value: T | undefined): boolean;
}

/** Port of io.netty.util.AttributeMap. */
export interface AttributeMap {
  attr<T>(key: AttributeKey<T>): Attribute<T>;
  hasAttr<T>(key: AttributeKey<T>): boolean;
}

class DefaultAttribute<T> implements Attribute<T> {
  private value: T | undefined = undefined;
  constructor(private readonly k: AttributeKey<T>) {}
  key(): AttributeKey<T> {
    return this.k;
  }
  get(): T | undefined {
    return this.value;
  }
  set(value: T | undefined): void {
    this.value = value;
  }
  getAndSet(value: T | undefined): T | undefined {
    const old = this.value;
    this.value = value;
    return old;
  }
  setIfAbsent(value: T): T | undefined {
    if (this.value !== undefined) return this.value;
    this.value = value;
    return undefined;
  }
  compareAndSet(expected: T | undefined, value: T | undefined): boolean {
    if (this.value !== expected) return false;
    this.value = value;
    return true;
  }
}

/** Port of io.netty.util.DefaultAttributeMap (single-threaded: a plain Map). */
export class DefaultAttributeMap implements AttributeMap {
  private attributes: Map<AttributeKey<unknown>, Attribute<unknown>> | null = null;

  attr<T>(key: AttributeKey<T>): Attribute<T> {
    if (this.attributes === null) this.attributes = new Map();
    let attribute = this.attributes.get(key as AttributeKey<unknown>) as Attribute<T> | undefined;
    if (attribute === undefined) {
      attribute = new DefaultAttribute<T>(key);
      this.attributes.set(key as AttributeKey<unknown>, attribute as Attribute<unknown>);
    }
    return attribute;
  }

  hasAttr<T>(key: AttributeKey<T>): boolean {
    return this.attributes?.get(key as AttributeKey<unknown>)?.get() !== undefined;
  }
}
