import type { VectorComponent } from './vector-advisor.ts';

export type AnswerFormat = 'choice' | 'json-probabilities' | 'json-vector';

export interface LetteredAction {
  letter: string;
  label: string;
}

export interface ObservationTask {
  /** The text after "Mission:" (or "Task:"), or '' when the prompt has none. */
  mission: string;
  actions: LetteredAction[];
  components: VectorComponent[];
}

/** The answer format the prompt's instructions ask for; `response_format` only breaks a tie. */
export function readAnswerFormat(instructions: string, jsonMode: boolean): AnswerFormat {
  if (/"action"\s*:\s*\[/.test(instructions) || /action vector/i.test(instructions))
    return 'json-vector';
  if (/maps every letter to a probability|JSON object[^.]*probabilit/i.test(instructions))
    return 'json-probabilities';
  if (/single letter|one letter|exactly \d+ lines/i.test(instructions)) return 'choice';
  return jsonMode ? 'json-probabilities' : 'choice';
}

/** What one observation's text asks: the mission, the lettered actions, or the vector components. */
export function readObservationTask(text: string, instructions: string): ObservationTask {
  const mission = /^\s*(?:Mission|Task):\s*(.+?)\s*$/m.exec(text)?.[1] ?? '';
  // A packed prompt lists the actions once per observation; fall back to the whole prompt.
  const listed = (source: string): LetteredAction[] =>
    [...source.matchAll(/^\s*([A-Z])[.)]\s+(.+?)\s*$/gm)].map((m) => ({
      letter: m[1]!,
      label: m[2]!,
    }));
  const actions = listed(text);
  const components = [...text.matchAll(/^\s*-\s*"(.+?)"\s+between\s+(\S+)\s+and\s+(\S+?)\s*$/gm)]
    .map((m) => ({ label: m[1]!, low: Number(m[2]), high: Number(m[3]) }))
    .filter((c) => Number.isFinite(c.low) && Number.isFinite(c.high));
  return { mission, actions: actions.length > 0 ? actions : listed(instructions), components };
}
