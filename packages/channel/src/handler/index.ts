export * from './flush';
export * from './logging';
export * from './timeout';
export * from './codec';
