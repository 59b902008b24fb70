export { bearerAuth } from './bearer-auth.ts';
export type { BearerAuthOptions } from './bearer-auth.ts';
