import type { ParseResult } from './parse-result.ts';

/**
 * Finds the JSON value in a model answer: the whole text, a fenced block, or the first balanced
 * object or array inside prose. Trailing commas and single-quoted keys, the two mistakes models
 * make most, are repaired.
 */
export function extractJson(text: string): ParseResult<unknown> {
  const candidates: string[] = [text.trim()];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fenced?.[1]) candidates.push(fenced[1].trim());
  const balanced = firstBalanced(text);
  if (balanced) candidates.push(balanced);
  for (const candidate of candidates) {
    for (const attempt of [candidate, repair(candidate)]) {
      try {
        return { ok: true, value: JSON.parse(attempt) as unknown };
      } catch {
        // try the next spelling
      }
    }
  }
  return { ok: false, reason: 'the answer holds no JSON value' };
}

function repair(text: string): string {
  return text.replace(/,\s*([}\]])/g, '$1').replace(/'([^'"\n]*)'\s*:/g, '"$1":');
}

function firstBalanced(text: string): string | undefined {
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  const open = text[start];
  const close = open === '{' ? '}' : ']';
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index += 1;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === open) depth += 1;
    else if (character === close) {
      depth -= 1;
      if (depth === 0) return text.slice(start, index + 1);
    }
  }
  return undefined;
}
