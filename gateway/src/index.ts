/**
 * @module
 * `@teacher-gateway/gateway`: build a gateway in-process (tests, the trainer's offline runs) or
 * start the server.
 */
export { createGateway } from './create-gateway.ts';
export type { Gateway, GatewayOptions } from './create-gateway.ts';
export { startServer, readConfig } from './server.ts';
export type { RunningServer, ServeOptions } from './server.ts';
export { loadConfig, ConfigError } from './config/load-config.ts';
export type { GatewayConfig, ProviderConfig } from './config/config-schema.ts';
export { loadTemplates } from './templates/load-templates.ts';
export { openDatabase } from './stores/open-database.ts';
export { createProvider } from './providers/registry.ts';
export type { VisionLanguageModel, GenerateOptions, GenerateResult } from './providers/provider.ts';
export { startEmbeddedGateway } from './start-embedded-gateway.ts';
export type { EmbeddedGatewayOptions } from './start-embedded-gateway.ts';
export { startCheckpointWorker } from './stores/start-checkpoint-worker.ts';
