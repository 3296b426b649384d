/**
 * @sluice/shuffle — Apache Flink's network stack (credit-based data exchange) on @sluice/channel.
 *
 * Layers (dependencies point down): netty/ → consumer/ and partition/ → io/ → event/ → memory/.
 * See DESIGN.md.
 */
export * from './memory';
export * from './event';
export * from './io';
export * from './partition';
export * from './consumer';
export * from './metrics';
export * from './di';
