export { FlushConsolidationHandler, type FlushConsolidationHandlerOptions } from './FlushConsolidationHandler';
