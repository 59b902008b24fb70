import type { GatewayError } from '../../errors/gateway-error.ts';

const statuses: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'INVALID_ARGUMENT',
  422: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * A gateway error in Google's error envelope. The gateway's own code travels as an ErrorInfo
 * reason, and a wait as RetryInfo, where Google's clients look for them.
 */
export function geminiErrorBody(error: GatewayError): Record<string, unknown> {
  const status = error.status;
  return {
    error: {
      code: status,
      message: error.message,
      status: statuses[status] ?? 'UNKNOWN',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: error.code.toUpperCase(),
          domain: 'teacher-gateway',
          metadata: Object.fromEntries(Object.entries(error.details).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])),
        },
        ...(error.retryAfterSeconds !== undefined ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.retryAfterSeconds}s` }] : []),
      ],
    },
  };
}
