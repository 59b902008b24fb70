/**
 * @module
 * `@teacher-gateway/client`: the typed SDK and the contract of the teacher gateway.
 */
export * from './contract/index.ts';
