export { tokenRateLimit } from './token-rate-limit.ts';
export type { TokenRateLimitOptions } from './token-rate-limit.ts';
