export * from './formats';
export * from './errors';
export * from './probe';
export * from './decode';
export * from './enhance';
