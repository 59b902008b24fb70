import { GatewayError } from '../../errors/gateway-error.ts';

/** The 400 for a field with no counterpart on the other provider's API, naming the field. */
export function untranslatable(field: string, from: string, to: string, hint = ''): GatewayError {
  return new GatewayError(
    'invalid_request',
    `${field} cannot be translated from the ${from} API to the ${to} API${hint ? `: ${hint}` : ''}; send it to a provider of the same kind, or leave it out`,
    { field, from, to },
  );
}
