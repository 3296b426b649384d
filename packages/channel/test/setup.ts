// Runs before every test file of @sluice/channel: the leak detector at its strictest level (PARANOID
// unless SLUICE_LEAK_DETECTION_LEVEL says otherwise) and a leak check around every test, so a test that
// forgets to release a buffer fails with the buffer's allocation stack.
import { afterEach, beforeEach } from '@jest/globals';
import { ResourceLeakDetector, type LeakDetectionLevel } from '../src/buffer/ResourceLeakDetector';
import { LeakAssertions } from '../src/testing/LeakAssertions';
import { InternalLoggerFactory } from '../src/util/InternalLogger';

const level = (process.env.SLUICE_LEAK_DETECTION_LEVEL ?? 'PARANOID').toUpperCase() as LeakDetectionLevel;
ResourceLeakDetector.setLevel(level);
// Tests assert on behaviour, not on log lines; tests that check logging install their own factory.
if (process.env.SLUICE_LOG_LEVEL === undefined) InternalLoggerFactory.setLevel('error');

beforeEach(() => LeakAssertions.markLeakCheckpoint());
afterEach(() => LeakAssertions.assertNoLeaks());
