/**
 * @sluice/shuffle — Apache Flink's network stack (credit-based data exchange) on @sluice/channel.
 *
 * Layers (dependencies point down): shuffle/ (environment, master, descriptors) → netty/ (wire protocol,
 * server, client) → network/ (connections) and consumer/, partition/ → io/ → event/ → memory/.
 * See DESIGN.md.
 */
export * from './memory';
export * from './event';
export * from './io';
export * from './partition';
export * from './consumer';
export * from './network';
export * from './netty';
export * from './shuffle';
export * from './metrics';
export * from './di';
export * from './shuffle';
