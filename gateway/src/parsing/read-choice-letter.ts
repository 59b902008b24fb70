/**
 * Reads an answer letter from a token or a short answer, tolerant of what models add around it:
 * leading spaces, lower case, quotes, brackets, a trailing period, markdown bold, "Answer:".
 * Returns the index into `letters`, or -1 when the text names no single letter.
 *
 * @example
 * readChoiceLetter(' "c".', ['A', 'B', 'C']) // 2
 */
export function readChoiceLetter(text: string, letters: readonly string[]): number {
  const cleaned = text
    .trim()
    .replace(/^(?:final\s+)?(?:answer|action|choice)\s*(?:is)?\s*[:=-]?\s*/i, '')
    .replace(/^[\s"'`*([{<]+|[\s"'`*)\]}>.,:;!]+$/g, '')
    .replace(/^(?:option|action)\s+/i, '');
  if (cleaned.length === 0) return -1;
  const upper = cleaned.toUpperCase();
  const exact = letters.indexOf(upper);
  if (exact >= 0) return exact;
  // "C. move forward" or "C) toggle": the letter first, then its label.
  const leading = /^([A-Z])(?:[.):\s]|$)/.exec(upper);
  return leading ? letters.indexOf(leading[1] ?? '') : -1;
}
