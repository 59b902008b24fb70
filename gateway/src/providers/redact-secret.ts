/**
 * Removes an API key from text bound for logs, errors or the audit log: the literal key wherever it
 * appears (some servers echo it) and any `key=`/`api-key=` query parameter (Gemini and Azure-style
 * URLs carry keys there).
 */
export function redactSecret(text: string, secret?: string): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  return out.replace(/([?&](?:key|api[-_]?key|access[-_]?token)=)[^&\s"']*/gi, '$1[REDACTED]');
}
