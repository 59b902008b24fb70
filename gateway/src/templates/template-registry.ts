import type { Template } from './template.ts';

export interface TemplateRegistry {
  /** `id` gives the highest version; `id@version` pins one. */
  resolve(reference: string): Template | undefined;
  /** Every loaded template, newest version of each id first. */
  list(): Template[];
}

/**
 * Indexes templates by id and version.
 *
 * @example
 * const templates = createTemplateRegistry(loadTemplates('./prompts'))
 * templates.resolve('minigrid-lvlm2p@1')
 */
export function createTemplateRegistry(templates: Template[]): TemplateRegistry {
  const byId = new Map<string, Map<number, Template>>();
  for (const template of templates) {
    const versions = byId.get(template.id) ?? new Map<number, Template>();
    if (versions.has(template.version)) {
      throw new Error(
        `template ${template.id}@${template.version} is defined twice (${versions.get(template.version)?.source} and ${template.source})`,
      );
    }
    versions.set(template.version, template);
    byId.set(template.id, versions);
  }
  const latest = new Map<string, Template>();
  for (const [id, versions] of byId) {
    const newest = Math.max(...versions.keys());
    latest.set(id, versions.get(newest) as Template);
  }
  return {
    resolve(reference) {
      const at = reference.lastIndexOf('@');
      if (at < 0) return latest.get(reference);
      // Digits only: Number() would also read "0x1", "1e0", " 1" or "" as versions.
      const text = reference.slice(at + 1);
      const version = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
      return Number.isInteger(version)
        ? byId.get(reference.slice(0, at))?.get(version)
        : undefined;
    },
    list() {
      return [...byId.values()].flatMap((versions) =>
        [...versions.values()].sort((a, b) => b.version - a.version),
      );
    },
  };
}
