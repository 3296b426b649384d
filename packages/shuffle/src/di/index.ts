// Public API of the dependency-injection layer (inversify module, tokens, configuration), re-exported by the package entry.
export {
  ShuffleConfig,
  SHUFFLE_CONFIG_KEYS,
  type ShuffleOptions,
  type FlinkShuffleConfig,
  type ShuffleConfigInput,
  type ShuffleConfigResolveOptions,
  type NetworkMemorySource,
} from './ShuffleConfig';
export { ShuffleConfigException, type ShuffleConfigProblem } from './errors';
export { shuffleModule, type ShuffleModuleOptions } from './shuffleModule';
export {
  ShuffleTokens,
  getService,
  type ConsumedSubpartition,
  type InputGateCreateOptions,
  type InputGateFactory,
  type RecordWriterBuilderFactory,
} from './tokens';
export { networkModule, type NetworkModuleOptions } from './networkModule';
