// The contract's schemas and types, by concern; importers take them from here.
export * from './contract-request';
export * from './contract-actions';
export * from './contract-status';
