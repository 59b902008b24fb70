/**
 * An upstream body as the audit log keeps it: JSON parsed when it is JSON, the text itself when
 * it is not (an HTML error page from a proxy), nothing when empty. Never throws: it is untrusted.
 *
 * @example
 * parseUpstreamBody('{"error":{}}') // { error: {} }
 * parseUpstreamBody('<html>502</html>') // '<html>502</html>'
 */
export function parseUpstreamBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
