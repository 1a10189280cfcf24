import { PRINTABLE_RANGES_ENCODED } from './printable-characters';

let starts: number[] | undefined;
let ends: number[] | undefined;

/** The generated table as two sorted arrays, decoded on first use. */
function ranges(): { starts: number[]; ends: number[] } {
  if (!starts || !ends) {
    starts = [];
    ends = [];
    let end = 0;
    for (const pair of PRINTABLE_RANGES_ENCODED.split(';')) {
      const [gap, length] = pair.split(',').map((digits) => parseInt(digits, 36)) as [number, number];
      starts.push(end + gap);
      end = end + gap + length;
      ends.push(end - 1);
    }
  }
  return { starts, ends };
}

const LINE_BREAKS_AND_TABS = /[\t\n\r]/;
// Control characters are in some fonts' tables (mapped to nothing) but never print.
const CONTROL = /\p{Cc}/u;

export function isPrintable(char: string): boolean {
  if (LINE_BREAKS_AND_TABS.test(char)) return true;
  if (CONTROL.test(char)) return false;
  const codePoint = char.codePointAt(0)!;
  const table = ranges();
  let low = 0;
  let high = table.starts.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (codePoint < table.starts[middle]!) high = middle - 1;
    else if (codePoint > table.ends[middle]!) low = middle + 1;
    else return true;
  }
  return false;
}

/** The first character of the text that no font of the district's documents can draw, if any. */
export function findUnprintableCharacter(text: string): string | undefined {
  for (const char of text) if (!isPrintable(char)) return char;
  return undefined;
}

/** `the character "X" (U+XXXX) cannot be printed ...`, for the field that holds it. */
export const unprintableMessage = (char: string): string =>
  `the character "${char}" (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) cannot be printed in the contract and the district's other documents; remove it or write it another way`;
