/**
 * The start of a text too long to keep whole, with its original size noted, so an upstream that
 * answers with megabytes cannot put them into error messages, responses or the audit log.
 *
 * @example
 * excerptText('x'.repeat(5000), 100) // 'xxx…x … [5000 bytes in all; first 100 characters kept]'
 */
export function excerptText(text: string, maxCharacters: number): string {
  if (text.length <= maxCharacters) return text;
  return `${text.slice(0, maxCharacters)} … [${Buffer.byteLength(text)} bytes in all; first ${maxCharacters} characters kept]`;
}
