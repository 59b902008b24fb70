import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from './template.ts';
import { parseTemplateFile } from './parse-template-file.ts';

/**
 * Loads every `*.md` template in a folder (README.md excepted). Throws one error listing every
 * broken file, because a gateway with a half-loaded prompt set would answer inconsistently.
 */
export function loadTemplates(dir: string): Template[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.md') && name.toLowerCase() !== 'readme.md')
    .sort();
  const templates: Template[] = [];
  const errors: string[] = [];
  for (const name of files) {
    const path = join(dir, name);
    const result = parseTemplateFile(readFileSync(path, 'utf8'), path);
    if (result.ok) templates.push(result.template);
    else errors.push(result.error);
  }
  if (errors.length > 0) throw new Error(`invalid prompt templates:\n  ${errors.join('\n  ')}`);
  return templates;
}
