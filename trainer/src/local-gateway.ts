/**
 * @module
 * `@teacher-gateway/trainer/local-gateway`: the offline teacher (simulated VLM + an in-process
 * gateway on free loopback ports). Needs the optional `@teacher-gateway/gateway` package.
 */
export { startLocalGateway } from './teachers/local-gateway/start-local-gateway.ts';
export type { LocalGateway, LocalGatewayOptions } from './teachers/local-gateway/start-local-gateway.ts';
