// fontkit's Indic and universal shapers (Devanagari, Myanmar, Khmer...) call a global regeneratorRuntime that the
// @pdf-lib/fontkit build forgot to bundle; without it shaping such a line throws.
import 'regenerator-runtime/runtime';
import fontkit from '@pdf-lib/fontkit';
import { remember } from './remember';

export type TFontkitFont = ReturnType<typeof fontkit.create>;

/**
 * Parsing a TrueType font takes about 20 ms (200 ms for a CJK one) and a document embeds several, several times
 * per sealed PDF. The parsed fonts are read-only, so every document shares them; each still embeds its own subset.
 */
const parsedFonts = new WeakMap<Uint8Array, TFontkitFont>();
export const sharedFontkit: typeof fontkit = {
  ...fontkit,
  create(bytes, postscriptName) {
    if (postscriptName !== undefined) return fontkit.create(bytes, postscriptName);
    let parsed = parsedFonts.get(bytes);
    if (!parsed) {
      parsed = fontkit.create(bytes);
      memoizeLayout(parsed);
      padSubsetGlyphs(parsed);
      parsedFonts.set(bytes, parsed);
    }
    return parsed;
  },
};

const MAX_CACHED_LAYOUTS = 20_000;

/**
 * Shaping a line (OpenType lookups) is most of a PDF's cost, and contracts repeat the same lines. pdf-lib only reads
 * the glyph runs (to draw, measure and pick the subset's glyphs), so each line's run is kept, per font.
 */
function memoizeLayout(font: TFontkitFont): void {
  const layouts = new Map<string, ReturnType<typeof font.layout>>();
  const layout = font.layout.bind(font);
  font.layout = (text, features) => {
    if (features !== undefined) return layout(text, features);
    return remember(layouts, MAX_CACHED_LAYOUTS, text, () => layout(text));
  };
}

interface TTrueTypeSubset {
  _addGlyph(glyphId: number): number;
  glyf: Uint8Array[];
  offset: number;
}

/**
 * fontkit writes a subset's glyph offsets in the short format (halved) when they fit, which silently corrupts every
 * glyph after one of odd length: the Noto CJK and emoji fonts store unpadded glyphs, so those glyphs printed blank.
 * Padding each copied glyph to an even length (as the TrueType spec recommends) keeps the offsets exact.
 */
function padSubsetGlyphs(font: TFontkitFont): void {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset() as unknown as TTrueTypeSubset;
    const addGlyph = subset._addGlyph?.bind(subset);
    if (addGlyph) {
      subset._addGlyph = (glyphId) => {
        const index = addGlyph(glyphId);
        const data = subset.glyf[index]!;
        if (data.length % 2 === 1) {
          // fontkit's own Buffer class: its encoder refuses Node's.
          const padded = new (data.constructor as new (size: number) => Uint8Array)(data.length + 1);
          padded.set(data, 0);
          padded[data.length] = 0;
          subset.glyf[index] = padded;
          subset.offset += 1;
        }
        return index;
      };
    }
    return subset as unknown as ReturnType<typeof createSubset>;
  };
}
