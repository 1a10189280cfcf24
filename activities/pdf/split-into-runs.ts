import bidiFactory from 'bidi-js';
import { remember } from './remember';
import { DEJAVU, faceFor, type TFontFace } from './font-faces';

/** A piece of a line drawn with one face, in the order it is drawn (left to right). */
export interface TRun {
  text: string;
  face: TFontFace;
  /** Drawn right to left: its glyphs are in visual order, the reverse of the text. */
  rtl: boolean;
}

const bidi = bidiFactory();
const STRONG_RTL = /[\p{Script=Arabic}\p{Script=Hebrew}]/u;
// Printable ASCII and Latin-1: DejaVu draws all of it, left to right, so most lines skip the per-character work.
const LATIN_1 = /^[\x20-\x7e\xa0-\xff]*$/;

const cache = new Map<string, TRun[]>();
const MAX_CACHED_LINES = 20_000;

/**
 * A line's runs in drawing order: split where the face changes (each character's face from the fallback chain) or
 * the direction changes (Unicode bidi, base direction left to right), with right-to-left runs placed right to left.
 * fontkit shapes and reverses Arabic and Hebrew runs itself; a right-to-left run of neutrals is reversed here.
 */
export function splitIntoRuns(line: string): TRun[] {
  if (LATIN_1.test(line)) return [{ text: line, face: DEJAVU, rtl: false }];
  return remember(cache, MAX_CACHED_LINES, line, () => visualRuns(line));
}

function visualRuns(line: string): TRun[] {
  const { levels } = bidi.getEmbeddingLevels(line, 'ltr');
  const logical: (TRun & { level: number })[] = [];
  let face: TFontFace | undefined;
  let index = 0;
  for (const char of line) {
    face = faceFor(char, face) ?? DEJAVU;
    const level = levels[index]!;
    const last = logical[logical.length - 1];
    if (last && last.face === face && last.level === level) last.text += char;
    else logical.push({ text: char, face, level, rtl: level % 2 === 1 });
    index += char.length;
  }
  // Unicode bidi rule L2: from the highest level down to the lowest odd one, reverse every stretch at that level or above.
  const maxLevel = Math.max(0, ...logical.map((run) => run.level));
  const lowestOdd = Math.min(...logical.map((run) => run.level).filter((level) => level % 2 === 1), maxLevel + 1);
  for (let level = maxLevel; level >= lowestOdd; level--) {
    for (let start = 0; start < logical.length; start++) {
      if (logical[start]!.level < level) continue;
      let end = start;
      while (end + 1 < logical.length && logical[end + 1]!.level >= level) end++;
      logical.splice(start, end - start + 1, ...logical.slice(start, end + 1).reverse());
      start = end;
    }
  }
  return logical.map(({ text, face: runFace, rtl }) => ({
    text: rtl && !STRONG_RTL.test(text) ? mirrored(text) : text,
    face: runFace,
    rtl,
  }));
}

/** Neutral characters in a right-to-left run, such as "(" or ", ", drawn in reverse with brackets mirrored. */
const mirrored = (text: string): string =>
  [...text]
    .reverse()
    .map((char) => bidi.getMirroredCharacter(char) ?? char)
    .join('');
