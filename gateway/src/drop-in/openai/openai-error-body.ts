import type { GatewayError } from '../../errors/gateway-error.ts';

const types: Record<string, string> = {
  invalid_request: 'invalid_request_error',
  unauthorized: 'authentication_error',
  not_found: 'not_found_error',
  not_cached: 'not_found_error',
  payload_too_large: 'invalid_request_error',
  rate_limited: 'rate_limit_error',
};

/** A gateway error in OpenAI's error shape, `{error: {message, type, param, code}}`, which both SDKs read. */
export function openAIErrorBody(error: GatewayError): Record<string, unknown> {
  const field = error.details.field;
  return {
    error: {
      message: error.message,
      type: types[error.code] ?? (error.status >= 500 ? 'server_error' : 'invalid_request_error'),
      param: typeof field === 'string' ? field : null,
      code: error.code === 'not_found' && error.details.model !== undefined ? 'model_not_found' : error.code,
      ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
    },
  };
}
