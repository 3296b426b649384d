/**
 * @sluice/channel — Netty 4.1's channel framework on Node.js.
 *
 * Layers (dependencies point down): handler/ and transport/ and bootstrap/ → channel/ → buffer/ and
 * concurrent/ → util/. See docs/architecture.md.
 */
export * from './util/SluiceError';
export * from './util/InternalLogger';
export * from './buffer';
export * from './concurrent';
export * from './channel';
export * from './bootstrap';
export * from './transport';
export * from './handler';
export * from './di';
