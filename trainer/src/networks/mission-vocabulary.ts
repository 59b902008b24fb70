/**
 * @module
 * rl-starter-files' `Vocabulary`: words get slots in order of first sight, up to a fixed
 * capacity, so a checkpoint carries its word list and encodes missions the same way again.
 */
export interface MissionVocabulary {
  readonly size: number;
  /** Words in slot order. */
  readonly words: readonly string[];
  /** Word counts over the slots, written into `into` at `offset` (zeroed first). */
  encode(mission: string, into: Float32Array, offset: number): void;
}

/**
 * @example
 * const vocabulary = createMissionVocabulary(64)
 * vocabulary.encode('get to the green goal square', counts, 0)
 */
export function createMissionVocabulary(
  size: number,
  words: readonly string[] = [],
): MissionVocabulary {
  const slots = new Map<string, number>(words.map((word, index) => [word, index]));
  const list = [...words];
  return {
    size,
    words: list,
    encode(mission, into, offset) {
      into.fill(0, offset, offset + size);
      for (const word of mission.toLowerCase().match(/[a-z]+/g) ?? []) {
        let slot = slots.get(word);
        if (slot === undefined) {
          // Past capacity, unseen words share the last slot rather than failing a run.
          slot = list.length < size ? list.length : size - 1;
          if (list.length < size) {
            slots.set(word, slot);
            list.push(word);
          }
        }
        into[offset + slot]! += 1;
      }
    },
  };
}
