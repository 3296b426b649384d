/**
 * Variants: the implementations a benchmark compares. Every benchmark has a `raw` variant (plain
 * `node:net` or plain `Buffer`, hand-written) that is its baseline, and later a `sluice` variant.
 *
 * A variant is nothing but compiled endpoint scripts, so adding one is: write the scripts, add one
 * line to `channel/variants.ts`.
 */
import { join } from 'node:path';

/** Name of the baseline variant every ratio is computed against. */
export const BASELINE_VARIANT = 'raw';

/** A variant of a two-process socket benchmark (sender and receiver over 127.0.0.1). */
export interface SocketVariant {
  /** `raw`, `sluice`, … — unique within the benchmark; `raw` is the baseline. */
  readonly name: string;
  /** Compiled script that listens on port 0 and reports it (receiver or echo server). */
  readonly receiverScript: string;
  /** Compiled script that connects to the reported port (sender or ping client). */
  readonly senderScript: string;
  /** Extra Node options for both processes (default: none). */
  readonly execArgv?: readonly string[];
  /** Parameters of this variant's processes that differ from the benchmark's (default: none). */
  readonly params?: Readonly<Record<string, number>>;
}

/** A variant of a single-process benchmark (no sockets). */
export interface InProcessVariant {
  readonly name: string;
  /** Compiled script that runs the whole measurement and reports one result. */
  readonly script: string;
  /** Extra Node options; the harness adds those the benchmark itself needs (e.g. `--expose-gc`). */
  readonly execArgv?: readonly string[];
}

/** The root of the compiled harness (`tools/bench/dist`). */
export const DIST_ROOT = join(__dirname, '..');

/**
 * Absolute path of a compiled script given its path under `src/` without extension,
 * e.g. `compiledScript('channel/raw/bulkSender')`.
 */
export function compiledScript(pathUnderSrc: string): string {
  return join(DIST_ROOT, `${pathUnderSrc}.js`);
}
