import { sampleIndex } from './action-distribution.ts';
import type { Judgement } from './judge-observation.ts';
import type { AnswerFormat, ObservationTask } from './read-observation-prompt.ts';
import { tokenLogprob } from './token-logprob.ts';
import type { TokenLogprob } from './token-logprob.ts';
import type { VectorAdvice } from './vector-advisor.ts';

/** One generated answer: its tokens (with alternatives) and why it stopped. */
export interface Answer {
  tokens: TokenLogprob[];
  finishReason: 'stop' | 'length';
}

export interface AnswerSettings {
  format: AnswerFormat;
  temperature: number;
  topK: number;
  maxTokens: number | undefined;
  random: () => number;
}

// Tokens a chat model also considers at an answer position; far below the letters.
const FILLERS = [
  'The',
  'I',
  '**',
  'Answer',
  '\n',
  'Based',
  'Option',
  'Action',
  'To',
  'Let',
  'Sure',
  'My',
  '-',
  'It',
  'We',
  'This',
  'Looking',
  'In',
  'For',
  'Given',
];

function fillerAlternatives(
  letters: ReadonlySet<string>,
  random: () => number,
): { token: string; logprob: number }[] {
  // A filler that reads as one of the answer letters would be counted as that letter.
  return FILLERS.filter((token) => !letters.has(token.trim().toUpperCase())).map((token, i) => ({
    token,
    logprob: -11 - 0.6 * i - random() * 0.5,
  }));
}

/** A token the model was sure of, with one distant runner-up. */
function sureToken(token: string, random: () => number): TokenLogprob & { alt: string } {
  const logprob = -random() * 0.002;
  const alt = token === ' ' ? '\n' : ' ';
  return {
    ...tokenLogprob(
      token,
      logprob,
      [
        { token, logprob },
        { token: alt, logprob: -8 - random() * 4 },
      ],
      20,
    ),
    alt,
  };
}

/** Splits text the way a BPE tokenizer roughly would: words with their leading space, numbers, punctuation. */
export function splitTokens(text: string): string[] {
  return text.match(/ ?[A-Za-z]+| ?\d+|\s+|[^\sA-Za-z\d]/g) ?? [];
}

function textAnswer(text: string, settings: AnswerSettings): TokenLogprob[] {
  return splitTokens(text).map((token) => {
    const t = sureToken(token, settings.random);
    return {
      token: t.token,
      logprob: t.logprob,
      top: t.top.slice(0, settings.topK),
    };
  });
}

function letterToken(
  judgement: Judgement,
  task: ObservationTask,
  settings: AnswerSettings,
): TokenLogprob {
  const { random } = settings;
  const fillers = fillerAlternatives(
    new Set(task.actions.map((a) => a.letter.toUpperCase())),
    random,
  );
  const fillerMass = fillers.reduce((sum, f) => sum + Math.exp(f.logprob), 0);
  const letters = task.actions.map((action, i) => ({
    token: action.letter,
    logprob: Math.log(judgement.probabilities[i]! * (1 - fillerMass)),
  }));
  const chosen = letters[sampleIndex(judgement.probabilities, settings.temperature, random)]!;
  return tokenLogprob(chosen.token, chosen.logprob, [...letters, ...fillers], settings.topK);
}

/** Probabilities as a model writes them: two decimals that add up to 1. */
function verbalize(probabilities: number[], settings: AnswerSettings): number[] {
  const { random, temperature } = settings;
  const jittered = probabilities.map((p) => p * Math.exp(temperature * 0.3 * (random() - 0.5)));
  const total = jittered.reduce((a, b) => a + b, 0);
  const rounded = jittered.map((p) => Math.round((100 * p) / total));
  const top = rounded.indexOf(Math.max(...rounded));
  rounded[top] = rounded[top]! + 100 - rounded.reduce((a, b) => a + b, 0);
  return rounded.map((r) => r / 100);
}

/** One sampled answer to the prompt's observations, in the asked format. */
export function composeAnswer(
  judgements: Judgement[],
  tasks: ObservationTask[],
  advice: VectorAdvice | null,
  settings: AnswerSettings,
): Answer {
  let tokens: TokenLogprob[];
  switch (settings.format) {
    case 'choice':
      tokens = [];
      judgements.forEach((judgement, i) => {
        if (i > 0) tokens.push(...textAnswer('\n', settings));
        tokens.push(letterToken(judgement, tasks[i]!, settings));
      });
      break;
    case 'json-probabilities': {
      const task = tasks[0]!;
      const values = verbalize(judgements[0]!.probabilities, settings);
      const body = task.actions.map((a, i) => `"${a.letter}": ${values[i]!.toFixed(2)}`).join(', ');
      tokens = textAnswer(`{${body}}`, settings);
      break;
    }
    case 'json-vector': {
      const components = tasks[0]!.components;
      const action = components.map(({ low, high }, i) => {
        const centre = advice?.action[i] ?? (low + high) / 2;
        const spread = (1 - (advice?.confidence ?? 0)) * (high - low) * 0.25 * settings.temperature;
        const value = centre + spread * (settings.random() * 2 - 1);
        return Math.round(Math.min(high, Math.max(low, value)) * 1000) / 1000;
      });
      tokens = textAnswer(
        JSON.stringify({ action }).replace(/,/g, ', ').replace(':', ': '),
        settings,
      );
      break;
    }
  }
  if (settings.maxTokens !== undefined && tokens.length > settings.maxTokens) {
    return { tokens: tokens.slice(0, Math.max(0, settings.maxTokens)), finishReason: 'length' };
  }
  return { tokens, finishReason: 'stop' };
}

const MALFORMED: Record<AnswerFormat, string[]> = {
  choice: [
    'the agent should probably keep moving towards the target',
    'I would turn first and then see what is in front of the agent.',
    'hard to say from this picture',
  ],
  'json-probabilities': [
    '{"A": 0.3, "B": 0.2, "C":',
    'Here are my estimates: turning seems most likely.',
    '{probabilities: unknown}',
  ],
  'json-vector': ['{"action": [0.1,', 'Move a little to the right.', '{"action": "forward"}'],
};

/** An answer no parser should accept: off-format prose or a cut-off JSON. */
export function composeMalformedAnswer(settings: AnswerSettings): Answer {
  const options = MALFORMED[settings.format];
  const text = options[Math.floor(settings.random() * options.length)]!;
  const cut = text.endsWith(',') || text.endsWith(':');
  return { tokens: textAnswer(text, settings), finishReason: cut ? 'length' : 'stop' };
}

export function composeRefusal(settings: AnswerSettings): Answer {
  return {
    tokens: textAnswer("I'm sorry, but I can't help with that request.", settings),
    finishReason: 'stop',
  };
}
