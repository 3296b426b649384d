/**
 * @sluice/channel/testing — for people who write handlers and transports: EmbeddedChannel and the leak
 * assertions the project's own tests use.
 */
export { EmbeddedChannel, EmbeddedSocketAddress, type EmbeddedChannelOptions } from '../transport/embedded/EmbeddedChannel';
export { EmbeddedEventLoop } from '../transport/embedded/EmbeddedEventLoop';
export {
  LeakAssertions,
  assertNoLeaks,
  markLeakCheckpoint,
  collectReports,
  clearReports,
  type AssertNoLeaksOptions,
} from './LeakAssertions';
export { ResourceLeakDetector, LeakDetectionLevel } from '../buffer/ResourceLeakDetector';
export { LeakDetectedException } from '../buffer/errors';
