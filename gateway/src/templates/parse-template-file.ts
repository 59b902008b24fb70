import { createHash } from 'node:crypto';
import Mustache from 'mustache';
import { parse as parseYaml } from 'yaml';
import type { Template } from './template.ts';
import { TemplateFrontMatterSchema } from './template.ts';

export type ParseTemplateResult = { ok: true; template: Template } | { ok: false; error: string };

const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/**
 * Reads one template file's text. Errors name the file and the field, so a broken template is
 * reported at start rather than at the first request that uses it.
 *
 * @example
 * const result = parseTemplateFile(text, 'prompts/minigrid-lvlm2p.md')
 * if (!result.ok) throw new Error(result.error)
 */
export function parseTemplateFile(text: string, source: string): ParseTemplateResult {
  const match = frontMatterPattern.exec(text);
  if (!match) return { ok: false, error: `${source}: missing "---" front matter` };
  let frontMatter: unknown;
  try {
    frontMatter = parseYaml(match[1] ?? '');
  } catch (error) {
    return { ok: false, error: `${source}: front matter is not YAML: ${(error as Error).message}` };
  }
  const parsed = TemplateFrontMatterSchema.safeParse(frontMatter);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(front matter)';
    return { ok: false, error: `${source}: ${field}: ${issue?.message ?? 'invalid'}` };
  }
  const body = match[2] ?? '';
  for (const [part, value] of [
    ['body', body],
    ['system', parsed.data.system ?? ''],
  ] as const) {
    try {
      Mustache.parse(value);
    } catch (error) {
      return { ok: false, error: `${source}: ${part} is not valid Mustache: ${(error as Error).message}` };
    }
  }
  if (parsed.data.packed && parsed.data.output !== 'choice') {
    return { ok: false, error: `${source}: packed: only "choice" templates can be packed` };
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { ok: true, template: { ...parsed.data, body, sha256, source } };
}
