// Runs before every test file of @sluice/shuffle: the buffer leak detector at PARANOID (unless
// SLUICE_LEAK_DETECTION_LEVEL says otherwise) and a leak check around every test.
import { afterEach, beforeEach } from '@jest/globals';
import { InternalLoggerFactory } from '@sluice/channel';
import { LeakAssertions, ResourceLeakDetector, type LeakDetectionLevel } from '@sluice/channel/testing';

const level = (process.env.SLUICE_LEAK_DETECTION_LEVEL ?? 'PARANOID').toUpperCase() as LeakDetectionLevel;
ResourceLeakDetector.setLevel(level);
if (process.env.SLUICE_LOG_LEVEL === undefined) InternalLoggerFactory.setLevel('error');

beforeEach(() => LeakAssertions.markLeakCheckpoint());
afterEach(() => LeakAssertions.assertNoLeaks());
