/** One observation's share of a prompt: its text and images, in order. */
export interface ObservationPrompt {
  text: string;
  imageUrls: string[];
}

export interface ChatPrompt {
  system: string;
  /** One entry, or several for a packed prompt ("Observation k:" sections). */
  observations: ObservationPrompt[];
  /** Every user text, joined: the answer-format instructions live here. */
  userText: string;
}

const OBSERVATION_HEADER = /^Observation (\d+):\s*$/;

/** The prompt as a model would read it: system text, then each user part in order. */
export function readChatPrompt(messages: unknown): ChatPrompt {
  const system: string[] = [];
  const userTexts: string[] = [];
  const observations: ObservationPrompt[] = [{ text: '', imageUrls: [] }];
  let packed = false;
  const current = () => observations[observations.length - 1]!;
  const addText = (text: string) => {
    userTexts.push(text);
    if (OBSERVATION_HEADER.test(text.trim())) {
      if (packed) observations.push({ text: '', imageUrls: [] });
      else {
        packed = true;
        observations[0] = { text: '', imageUrls: [] };
      }
      return;
    }
    const obs = current();
    obs.text = obs.text === '' ? text : `${obs.text}\n${text}`;
  };
  if (Array.isArray(messages)) {
    for (const message of messages as unknown[]) {
      if (typeof message !== 'object' || message === null) continue;
      const { role, content } = message as { role?: unknown; content?: unknown };
      if (role === 'system' || role === 'developer') {
        if (typeof content === 'string') system.push(content);
        else if (Array.isArray(content)) {
          for (const part of content as unknown[]) {
            const text = (part as { text?: unknown } | null)?.text;
            if (typeof text === 'string') system.push(text);
          }
        }
        continue;
      }
      if (role !== 'user') continue;
      if (typeof content === 'string') addText(content);
      else if (Array.isArray(content)) {
        for (const part of content as unknown[]) {
          if (typeof part !== 'object' || part === null) continue;
          const {
            type,
            text,
            image_url: image,
          } = part as { type?: unknown; text?: unknown; image_url?: unknown };
          if (type === 'text' && typeof text === 'string') addText(text);
          else if (type === 'image_url') {
            const url =
              typeof image === 'string' ? image : (image as { url?: unknown } | null)?.url;
            current().imageUrls.push(typeof url === 'string' ? url : '');
          }
        }
      }
    }
  }
  // The closing instruction of a packed prompt ("Reply with exactly N lines ...") is not an observation's.
  if (packed) {
    const last = current();
    last.text = last.text.replace(/\n?Reply with exactly \d+ lines[\s\S]*$/, '');
  }
  return { system: system.join('\n'), observations, userText: userTexts.join('\n') };
}
