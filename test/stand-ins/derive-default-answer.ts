import type { ScriptedAnswer, ScriptedToken } from './start-stand-in-server.ts';

export interface DefaultAnswerRequest {
  /** All prompt text, concatenated. */
  prompt: string;
  json: boolean;
  /** A constrained choice list (vLLM guided_choice): answer only from it. */
  choices?: string[];
  /** Alternatives per position; 0 for none. */
  topLogprobs: number;
  sampleIndex: number;
  samples: number;
}

/**
 * A realistic default answer derived from the request, so tests that do not script one still get
 * believable bodies: the labels offered in the prompt ("A) ...", "B. ...") or the guided choices,
 * "C" (or the third option) preferred at p=0.7 and the rest sharing the remainder, a JSON object
 * when JSON was asked for. Samples spread deterministically over the distribution by index.
 */
export function deriveDefaultAnswer(request: DefaultAnswerRequest): ScriptedAnswer {
  const labels =
    request.choices && request.choices.length > 0 ? request.choices : findLetters(request.prompt);
  const preferred = labels.includes('C') ? labels.indexOf('C') : Math.min(2, labels.length - 1);
  const ordered = [labels[preferred] ?? 'C', ...labels.filter((_, index) => index !== preferred)];
  const rest = ordered.length - 1;
  const weights = ordered.map((_, index) =>
    index === 0 ? 0.7 : rest > 0 ? 0.3 * (2 ** (rest - index) / (2 ** rest - 1)) : 0,
  );
  const distribution = ordered.map((label, index) => ({
    token: label,
    logprob: Math.log(weights[index] ?? 1e-9),
  }));

  const quantile = (request.sampleIndex + 0.5) / Math.max(1, request.samples);
  let cumulative = 0;
  let picked = distribution[0] ?? { token: 'C', logprob: 0 };
  for (const [index, entry] of distribution.entries()) {
    cumulative += weights[index] ?? 0;
    picked = entry;
    if (quantile <= cumulative) break;
  }

  const top = (alternatives: { token: string; logprob: number }[]) =>
    request.topLogprobs > 0 ? alternatives.slice(0, request.topLogprobs) : [];
  const labelToken: ScriptedToken = { ...picked, top: top(distribution) };
  if (!request.json)
    return { text: picked.token, ...(request.topLogprobs > 0 ? { logprobs: [labelToken] } : {}) };

  const certain = (token: string): ScriptedToken => ({
    token,
    logprob: -0.0001,
    top: top([
      { token, logprob: -0.0001 },
      { token: ' ', logprob: -9.5 },
    ]),
  });
  const pieces = ['{"', 'action', '":', ' "'];
  return {
    text: `{"action": "${picked.token}"}`,
    ...(request.topLogprobs > 0
      ? { logprobs: [...pieces.map(certain), labelToken, certain('"}')] }
      : {}),
  };
}

function findLetters(prompt: string): string[] {
  const letters = new Set<string>();
  for (const match of prompt.matchAll(/(?:^|[\s(])([A-Z])[).:]\s/gm))
    if (match[1]) letters.add(match[1]);
  return letters.size >= 2 ? [...letters] : ['A', 'B', 'C', 'D'];
}
