export { ChannelTimeoutException, ReadTimeoutException, WriteTimeoutException } from './errors';
export { IdleState } from './IdleState';
export { IdleStateEvent } from './IdleStateEvent';
export { IdleStateHandler, type IdleStateHandlerOptions } from './IdleStateHandler';
export { ReadTimeoutHandler } from './ReadTimeoutHandler';
export { WriteTimeoutHandler } from './WriteTimeoutHandler';
