/**
 * Side-effect module: the FIRST import of every Sluice child script of the `shuffle-local` suite.
 *
 * The benchmarks measure the leak detector at its production default (SIMPLE, one buffer in 128
 * tracked), whatever the harness's environment says: CI runs the tests with
 * `SLUICE_LEAK_DETECTION_LEVEL=PARANOID`, and a child inherits its parent's environment. `@sluice/channel`
 * reads the variables once, when it is loaded, so they are removed here, before any import of
 * `@sluice/channel` or `@sluice/shuffle` runs. {@link checkProductionLeakDetection} confirms it afterwards.
 *
 * ## Pitfalls
 * Keep `import './productionLeakDetection';` (or `'../productionLeakDetection'`) the first import of a
 * child script: CommonJS runs imports in order, and a later position would be too late.
 */
for (const name of Object.keys(process.env)) {
  if (name.startsWith('SLUICE_LEAK_DETECTION_')) delete process.env[name];
}

export {};
