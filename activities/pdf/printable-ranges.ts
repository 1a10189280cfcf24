import { FONT_FACES, faceCovers, loadFace } from './font-faces';

/** The code points some face of the chain draws in both weights, as sorted [first, last] ranges. */
export function printableRanges(): [number, number][] {
  const codePoints = new Set<number>();
  for (const face of FONT_FACES) {
    for (const codePoint of loadFace(face, 'regular').font.characterSet) {
      if (faceCovers(face, codePoint)) codePoints.add(codePoint);
    }
  }
  const ranges: [number, number][] = [];
  for (const codePoint of [...codePoints].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === codePoint - 1) last[1] = codePoint;
    else ranges.push([codePoint, codePoint]);
  }
  return ranges;
}
