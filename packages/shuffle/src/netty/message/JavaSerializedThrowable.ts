import type { ByteBuf } from '@sluice/channel';
import { ProtocolException } from '../errors';
import { RemoteThrowable } from '../RemoteThrowable';

/** `ObjectOutputStream`'s stream magic: the first two bytes of a Java-serialized ErrorResponse body. */
export const JAVA_STREAM_MAGIC = 0xaced;
const JAVA_STREAM_VERSION = 5;

// java.io.ObjectStreamConstants
const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_STRING = 0x74;
const TC_ARRAY = 0x75;
const TC_CLASS = 0x76;
const TC_BLOCKDATA = 0x77;
const TC_ENDBLOCKDATA = 0x78;
const TC_RESET = 0x79;
const TC_BLOCKDATALONG = 0x7a;
const TC_EXCEPTION = 0x7b;
const TC_LONGSTRING = 0x7c;
const TC_PROXYCLASSDESC = 0x7d;
const TC_ENUM = 0x7e;
const BASE_WIRE_HANDLE = 0x7e0000;
const SC_WRITE_METHOD = 0x01;
const SC_SERIALIZABLE = 0x02;
const SC_EXTERNALIZABLE = 0x04;
const SC_BLOCK_DATA = 0x08;

/** Nesting limit of the walk (objects inside objects); deeper streams are rejected, not followed. */
const MAX_DEPTH = 64;
/** Causes followed when building the RemoteThrowable chain. */
const MAX_CAUSES = 8;
/** Stack frames turned into text. */
const MAX_FRAMES = 64;

interface FieldDesc {
  readonly typeCode: number;
  readonly name: string;
}

interface ClassDesc {
  readonly name: string;
  readonly flags: number;
  readonly fields: readonly FieldDesc[];
  superDesc: ClassDesc | null;
}

/** A deserialized object, reduced to its class name and the values of its fields (all classes merged). */
interface JavaObject {
  readonly className: string;
  readonly fields: Map<string, JavaValue>;
}

type JavaValue = JavaObject | ClassDesc | string | number | null | undefined;

const ENDBLOCK: unique symbol = Symbol('TC_ENDBLOCKDATA');

/**
 * Reads the grammar of the Java Object Serialization Stream Protocol (version 5) well enough to find
 * where one top-level object ends, and keeps the class names, strings and int fields it passes. It is
 * not a deserializer: no class is instantiated, custom `writeObject` data is skipped as block data.
 */
class StreamWalker {
  private readonly handles: unknown[] = [];
  private depth = 0;

  constructor(private readonly buf: ByteBuf) {}

  readContent(): JavaValue | typeof ENDBLOCK {
    if (++this.depth > MAX_DEPTH) throw new ProtocolException(`Java serialization stream nested deeper than ${MAX_DEPTH}`);
    try {
      const buf = this.buf;
      const tc = buf.readUnsignedByte();
      switch (tc) {
        case TC_NULL:
          return null;
        case TC_REFERENCE:
          return this.handle(buf.readInt()) as JavaValue;
        case TC_CLASSDESC:
          return this.readNonProxyDesc();
        case TC_PROXYCLASSDESC:
          return this.readProxyDesc();
        case TC_OBJECT:
          return this.readObject();
        case TC_STRING:
          return this.newHandleValue(this.readUtf(buf.readUnsignedShort()));
        case TC_LONGSTRING: {
          const length = buf.readLongNumber();
          if (length < 0 || length > buf.readableBytes()) throw new ProtocolException(`Java long string of ${length} bytes`);
          return this.newHandleValue(this.readUtf(length));
        }
        case TC_ARRAY:
          return this.readArray();
        case TC_CLASS: {
          const desc = this.readClassDesc();
          this.newHandle(desc);
          return desc;
        }
        case TC_ENUM: {
          const desc = this.readClassDesc();
          const index = this.newHandle(null);
          const constant = this.readContent();
          const value: JavaObject = { className: desc?.name ?? '?', fields: new Map([['name', typeof constant === 'string' ? constant : null]]) };
          this.handles[index] = value;
          return value;
        }
        case TC_BLOCKDATA:
          buf.skipBytes(buf.readUnsignedByte());
          return undefined;
        case TC_BLOCKDATALONG: {
          const length = buf.readInt();
          if (length < 0) throw new ProtocolException(`Java block data of ${length} bytes`);
          buf.skipBytes(length);
          return undefined;
        }
        case TC_ENDBLOCKDATA:
          return ENDBLOCK;
        case TC_RESET:
          this.handles.length = 0;
          return this.readContent();
        case TC_EXCEPTION:
          throw new ProtocolException('Java serialization stream aborted by its writer (TC_EXCEPTION)');
        default:
          throw new ProtocolException(`unknown Java serialization type code 0x${tc.toString(16)}`);
      }
    } finally {
      this.depth--;
    }
  }

  private readUtf(length: number): string {
    // Modified UTF-8 equals UTF-8 except for U+0000 and supplementary characters (best effort, see docs).
    const s = this.buf.toString(this.buf.readerIndex(), length, 'utf8');
    this.buf.skipBytes(length);
    return s;
  }

  private newHandle(value: unknown): number {
    this.handles.push(value);
    return this.handles.length - 1;
  }

  private newHandleValue<T>(value: T): T {
    this.handles.push(value);
    return value;
  }

  private handle(wireHandle: number): unknown {
    const index = wireHandle - BASE_WIRE_HANDLE;
    if (index < 0 || index >= this.handles.length) throw new ProtocolException(`Java serialization back-reference 0x${wireHandle.toString(16)} to nothing`);
    return this.handles[index];
  }

  private readClassDesc(): ClassDesc | null {
    const value = this.readContent();
    if (value === null) return null;
    if (isClassDesc(value)) return value;
    throw new ProtocolException('Java serialization stream: expected a class descriptor');
  }

  private readNonProxyDesc(): ClassDesc {
    const buf = this.buf;
    const name = this.readUtf(buf.readUnsignedShort());
    buf.skipBytes(8); // serialVersionUID
    const fields: FieldDesc[] = [];
    const desc: ClassDesc = { name, flags: 0, fields, superDesc: null };
    this.newHandle(desc);
    const flags = buf.readUnsignedByte();
    const count = buf.readUnsignedShort();
    for (let i = 0; i < count; i++) {
      const typeCode = buf.readUnsignedByte();
      const fieldName = this.readUtf(buf.readUnsignedShort());
      if (typeCode === 0x4c /* L */ || typeCode === 0x5b /* [ */) this.readContent(); // the field's type name
      fields.push({ typeCode, name: fieldName });
    }
    (desc as { flags: number }).flags = flags;
    this.skipAnnotation();
    desc.superDesc = this.readClassDesc();
    return desc;
  }

  private readProxyDesc(): ClassDesc {
    const buf = this.buf;
    const desc: ClassDesc = { name: '$Proxy', flags: SC_SERIALIZABLE, fields: [], superDesc: null };
    this.newHandle(desc);
    const count = buf.readInt();
    for (let i = 0; i < count; i++) buf.skipBytes(buf.readUnsignedShort());
    this.skipAnnotation();
    desc.superDesc = this.readClassDesc();
    return desc;
  }

  private skipAnnotation(): void {
    while (this.readContent() !== ENDBLOCK) {
      // contents written by annotateClass / writeObject / writeExternal
    }
  }

  private readObject(): JavaObject {
    const desc = this.readClassDesc();
    if (desc === null) throw new ProtocolException('Java serialization stream: object without class descriptor');
    const object = this.newHandleValue<JavaObject>({ className: desc.name, fields: new Map() });
    const chain: ClassDesc[] = [];
    for (let d: ClassDesc | null = desc; d !== null; d = d.superDesc) chain.push(d);
    for (let i = chain.length - 1; i >= 0; i--) {
      const d = chain[i]!;
      if ((d.flags & SC_EXTERNALIZABLE) !== 0) {
        if ((d.flags & SC_BLOCK_DATA) === 0) throw new ProtocolException(`Java externalizable ${d.name} in protocol version 1`);
        this.skipAnnotation();
      } else if ((d.flags & SC_SERIALIZABLE) !== 0) {
        for (const field of d.fields) object.fields.set(field.name, this.readFieldValue(field.typeCode));
        if ((d.flags & SC_WRITE_METHOD) !== 0) this.skipAnnotation();
      }
    }
    return object;
  }

  private readFieldValue(typeCode: number): JavaValue {
    const buf = this.buf;
    switch (typeCode) {
      case 0x42: // B
      case 0x5a: // Z
        buf.skipBytes(1);
        return undefined;
      case 0x43: // C
      case 0x53: // S
        buf.skipBytes(2);
        return undefined;
      case 0x49: // I
        return buf.readInt();
      case 0x46: // F
        buf.skipBytes(4);
        return undefined;
      case 0x4a: // J
      case 0x44: // D
        buf.skipBytes(8);
        return undefined;
      case 0x4c: // L
      case 0x5b: {
        // [
        const value = this.readContent();
        if (value === ENDBLOCK) throw new ProtocolException('Java serialization stream: TC_ENDBLOCKDATA in place of a field value');
        return value;
      }
      default:
        throw new ProtocolException(`unknown Java field type code 0x${typeCode.toString(16)}`);
    }
  }

  private readArray(): JavaObject {
    const desc = this.readClassDesc();
    if (desc === null) throw new ProtocolException('Java serialization stream: array without class descriptor');
    const array = this.newHandleValue<JavaObject>({ className: desc.name, fields: new Map() });
    const length = this.buf.readInt();
    if (length < 0 || length > this.buf.readableBytes()) throw new ProtocolException(`Java array of ${length} elements`);
    const elementType = desc.name.charCodeAt(1);
    const elements: JavaValue[] = [];
    for (let i = 0; i < length; i++) {
      const value = this.readFieldValue(elementType);
      if (elements.length < MAX_FRAMES) elements.push(value);
    }
    array.fields.set('length', length);
    elements.forEach((v, i) => array.fields.set(String(i), v));
    return array;
  }
}

function isClassDesc(value: unknown): value is ClassDesc {
  return typeof value === 'object' && value !== null && 'superDesc' in value;
}

function isJavaObject(value: unknown): value is JavaObject {
  return typeof value === 'object' && value !== null && 'fields' in value && !('superDesc' in value);
}

/** The result of {@link readJavaSerializedThrowable}. */
export interface JavaThrowableAndEnd {
  readonly error: RemoteThrowable;
  /** True if the walk found the end of the stream exactly; false if the end was inferred (see docs). */
  readonly exact: boolean;
}

/**
 * Reads one Java-serialized Throwable (ObjectOutputStream: `0xACED 0005` then the object) at `buf`'s
 * reader index and leaves the reader index right after it. The stream is walked by its grammar
 * ({@link StreamWalker}); the class name, `detailMessage`, `cause` chain and stack frames are taken from
 * the fields of `java.lang.Throwable`. If the walk fails (a construct it does not know, or a corrupt
 * stream), falls back to the tail rule of docs/protocol.md: the trailing bytes are `01` + 16-byte receiver
 * id if the 17th-last byte is `01`, else the last byte must be `00`; the class name is then the first
 * class descriptor's name and the message is unknown.
 *
 * @param tailIsValid called with the number of bytes left after the object when the walk succeeded;
 *   must return true if they form a valid tail (so a successful walk that leaves a bad tail falls back
 *   too).
 */
export function readJavaSerializedThrowable(buf: ByteBuf, tailIsValid: (remaining: number) => boolean): JavaThrowableAndEnd {
  const start = buf.readerIndex();
  if (buf.readableBytes() < 4 || buf.getUnsignedShort(start) !== JAVA_STREAM_MAGIC || buf.getUnsignedShort(start + 2) !== JAVA_STREAM_VERSION) {
    throw new ProtocolException('ErrorResponse: not a Java serialization stream (expected 0xACED 0x0005)');
  }
  try {
    buf.skipBytes(4);
    const walker = new StreamWalker(buf);
    const value = walker.readContent();
    if (isJavaObject(value) && tailIsValid(buf.readableBytes())) {
      return { error: toRemoteThrowable(value, 0), exact: true };
    }
  } catch {
    // fall back to the tail rule below
  }
  const end = buf.writerIndex();
  const total = end - start;
  let objectEnd: number;
  if (total >= 4 + 17 && buf.getUnsignedByte(end - 17) === 1) objectEnd = end - 17;
  else if (total >= 4 + 1 && buf.getUnsignedByte(end - 1) === 0) objectEnd = end - 1;
  else throw new ProtocolException('ErrorResponse: Java-serialized throwable without a valid hasReceiver/receiverId tail');
  buf.readerIndex(objectEnd);
  return { error: new RemoteThrowable(firstClassName(buf, start, objectEnd), null, { format: 'java' }), exact: false };
}

/** The name in the first TC_CLASSDESC of `[start, end)` (after the 4-byte stream header), or a placeholder. */
function firstClassName(buf: ByteBuf, start: number, end: number): string {
  if (end - start >= 8 && buf.getUnsignedByte(start + 4) === TC_OBJECT && buf.getUnsignedByte(start + 5) === TC_CLASSDESC) {
    const length = buf.getUnsignedShort(start + 6);
    if (start + 8 + length <= end) return buf.toString(start + 8, length, 'utf8');
  }
  return 'java.lang.Throwable';
}

function toRemoteThrowable(object: JavaObject, depth: number): RemoteThrowable {
  const message = object.fields.get('detailMessage');
  const cause = object.fields.get('cause');
  const hasCause = depth < MAX_CAUSES && isJavaObject(cause) && cause !== object;
  return new RemoteThrowable(object.className, typeof message === 'string' ? message : null, {
    format: 'java',
    remoteStack: stackText(object),
    ...(hasCause ? { cause: toRemoteThrowable(cause, depth + 1) } : {}),
  });
}

function stackText(object: JavaObject): string | null {
  const trace = object.fields.get('stackTrace');
  if (!isJavaObject(trace)) return null;
  const length = trace.fields.get('length');
  if (typeof length !== 'number' || length === 0) return null;
  const lines: string[] = [];
  for (let i = 0; i < Math.min(length, MAX_FRAMES); i++) {
    const frame = trace.fields.get(String(i));
    if (!isJavaObject(frame)) continue;
    const cls = frame.fields.get('declaringClass');
    const method = frame.fields.get('methodName');
    const file = frame.fields.get('fileName');
    const line = frame.fields.get('lineNumber');
    const where = typeof file === 'string' ? (typeof line === 'number' && line >= 0 ? `${file}:${line}` : file) : 'Unknown Source';
    lines.push(`    at ${typeof cls === 'string' ? cls : '?'}.${typeof method === 'string' ? method : '?'}(${where})`);
  }
  return lines.join('\n');
}
