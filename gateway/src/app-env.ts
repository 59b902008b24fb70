import type { RequestContext } from './suggestion/create-suggestion-service.ts';

/** Hono context variables set by the gateway's middleware. */
export interface GatewayEnv {
  Variables: {
    requestContext: RequestContext;
    requestId: string;
  };
}
