export interface ExpansionResult {
  value: unknown;
  /** Variables that were referenced but unset or empty, by the dotted path where they appeared. */
  missing: Map<string, string>;
}

const variablePattern = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string of a parsed YAML document.
 * An unset variable becomes an empty string and is reported, so a provider without its key can
 * be listed as unavailable instead of stopping the gateway.
 */
export function expandVariables(
  document: unknown,
  environment: Record<string, string | undefined>,
): ExpansionResult {
  const missing = new Map<string, string>();
  const visit = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      return value.replace(variablePattern, (_, name: string, fallback: string | undefined) => {
        const found = environment[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        missing.set(path, name);
        return '';
      });
    }
    if (Array.isArray(value)) return value.map((item, index) => visit(item, join(path, index)));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, visit(item, join(path, key))]),
      );
    }
    return value;
  };
  return { value: visit(document, ''), missing };
}

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}
