import { readFileSync } from 'node:fs';
import { sharedFontkit, type TFontkitFont } from './shared-fontkit';

export type TWeight = 'regular' | 'bold';

/** One typeface of the fallback chain: its regular and bold files, and the script it is picked for (if only one). */
export interface TFontFace {
  name: string;
  files: Record<TWeight, string>;
  /** Letters of this script come from this face before DejaVu; other characters only if no other face has them. */
  script?: RegExp;
}

// DejaVu Sans covers Latin (with Vietnamese, Somali, Oromo, Hmong RPA), Greek and Cyrillic, as the contracts always
// used. Each Noto face (OFL, from the @expo-google-fonts packages) adds the scripts DejaVu lacks or draws poorly.
const expo = (family: string, file: string): Record<TWeight, string> => ({
  regular: `@expo-google-fonts/${family}/400Regular/${file}_400Regular.ttf`,
  bold: `@expo-google-fonts/${family}/700Bold/${file}_700Bold.ttf`,
});
const only = (script: string) => new RegExp(`\\p{Script_Extensions=${script}}`, 'u');

/** In the order a character's face is looked for; CJK faces are read from disk only when a line needs them. */
export const FONT_FACES: readonly TFontFace[] = [
  { name: 'Noto Sans Arabic', files: expo('noto-sans-arabic', 'NotoSansArabic'), script: only('Arabic') },
  { name: 'Noto Sans Hebrew', files: expo('noto-sans-hebrew', 'NotoSansHebrew'), script: only('Hebrew') },
  { name: 'Noto Sans Ethiopic', files: expo('noto-sans-ethiopic', 'NotoSansEthiopic'), script: only('Ethiopic') },
  { name: 'Noto Sans Myanmar', files: expo('noto-sans-myanmar', 'NotoSansMyanmar'), script: only('Myanmar') },
  { name: 'Noto Sans Khmer', files: expo('noto-sans-khmer', 'NotoSansKhmer'), script: only('Khmer') },
  { name: 'Noto Sans Lao', files: expo('noto-sans-lao', 'NotoSansLao'), script: only('Lao') },
  { name: 'Noto Sans Thai', files: expo('noto-sans-thai', 'NotoSansThai'), script: only('Thai') },
  { name: 'Noto Sans Devanagari', files: expo('noto-sans-devanagari', 'NotoSansDevanagari'), script: only('Devanagari') },
  { name: 'DejaVu Sans', files: { regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf', bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf' } },
  { name: 'Noto Emoji', files: expo('noto-emoji', 'NotoEmoji') },
  { name: 'Noto Sans SC', files: expo('noto-sans-sc', 'NotoSansSC') },
  { name: 'Noto Sans TC', files: expo('noto-sans-tc', 'NotoSansTC') },
  { name: 'Noto Sans JP', files: expo('noto-sans-jp', 'NotoSansJP') },
  { name: 'Noto Sans KR', files: expo('noto-sans-kr', 'NotoSansKR') },
];

export const DEJAVU = FONT_FACES.find((face) => face.name === 'DejaVu Sans')!;

const loaded = new Map<string, { bytes: Uint8Array; font: TFontkitFont }>();

/** A face's file, read and parsed once per process (the bytes are also the key of the shared parsed font). */
export function loadFace(face: TFontFace, weight: TWeight): { bytes: Uint8Array; font: TFontkitFont } {
  const file = face.files[weight];
  let entry = loaded.get(file);
  if (!entry) {
    const bytes = readFileSync(require.resolve(file));
    entry = { bytes, font: sharedFontkit.create(bytes) };
    loaded.set(file, entry);
  }
  return entry;
}

/** Whether both weights of the face draw the character. */
export const faceCovers = (face: TFontFace, codePoint: number): boolean =>
  loadFace(face, 'regular').font.hasGlyphForCodePoint(codePoint) && loadFace(face, 'bold').font.hasGlyphForCodePoint(codePoint);

// Spaces are not among them: every space is DejaVu's, so words keep the gaps text extractors read as spaces.
const CONTINUING = /(?!\s)[\p{Script=Common}\p{Script=Inherited}]/u;

/**
 * The face that draws a character: punctuation and marks stay in the face of the character before them
 * when it has them (so an Arabic phrase is shaped as one run); letters go to their script's face, then DejaVu,
 * emoji and CJK in turn. Undefined when no face has the character (the boundary refuses such input).
 */
export function faceFor(char: string, previous: TFontFace | undefined): TFontFace | undefined {
  const codePoint = char.codePointAt(0)!;
  if (previous && CONTINUING.test(char) && faceCovers(previous, codePoint)) return previous;
  return (
    FONT_FACES.find((face) => (!face.script || face.script.test(char)) && faceCovers(face, codePoint)) ??
    FONT_FACES.find((face) => faceCovers(face, codePoint))
  );
}
