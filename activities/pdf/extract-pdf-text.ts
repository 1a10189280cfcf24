import bidiFactory from 'bidi-js';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, type PDFContext, type PDFObject } from 'pdf-lib';

/*
 * pdf-lib writes PDFs but cannot read their text back, and our PDFs embed a subsetted TrueType font, so a
 * content stream holds glyph ids (`<00250036> Tj`), not characters. This is just enough of a text extractor
 * for our own PDFs (tests read them back; `cpo verify` compares a file's pages with the executed contract's):
 * it follows `/Fx size Tf`, decodes `Tj`, `'`, `"` and `TJ` strings through that font's ToUnicode CMap (or as
 * latin1 for fonts without one, such as the standard 14 fonts), and writes one line per string drawn, in
 * drawing order. A line drawn in several runs (fonts, directions) is a marked `Span`: its strings make one line,
 * a run's ActualText stands for its glyphs, and right-to-left runs (drawn in visual order) are put back in logical
 * order with the Unicode bidi algorithm. It ignores positions, so text appears in the order it was drawn. It
 * throws on bytes pdf-lib cannot parse; callers reading files from outside say so.
 */

/** Turns the bytes of a shown string (as a latin1 string) into text. */
type TDecoder = (bytes: string) => string;

/** Fonts without a ToUnicode CMap (standard 14, WinAnsi): close enough to latin1 for our purposes. */
const latin1: TDecoder = (raw) => raw;

/** The text of every page of a PDF, one line per string drawn. */
export async function extractPdfText(bytes: Uint8Array): Promise<{ pageCount: number; pages: string[] }> {
  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages = document.getPages().map((page) => {
    const fonts = fontDecoders(page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict));
    return pageText(contentStreamText(page.node.Contents(), page.node.context), fonts);
  });
  return { pageCount: pages.length, pages };
}

/** The decoded bytes of a stream, as a latin1 string so every byte stays one character. */
function streamBytes(object: PDFObject | undefined): string {
  if (!(object instanceof PDFRawStream)) throw new TypeError(`expected a stream, got ${object?.constructor.name}`);
  return Buffer.from(decodePDFRawStream(object).decode()).toString('latin1');
}

/** A page's content: one stream, or an array of streams drawn one after the other. */
function contentStreamText(contents: PDFObject | undefined, context: PDFContext): string {
  if (!contents) return '';
  if (!(contents instanceof PDFArray)) return streamBytes(contents);
  return contents
    .asArray()
    .map((ref) => streamBytes(context.lookup(ref)))
    .join('\n');
}

/** One decoder per font resource, keyed by its name as a content stream writes it before Tf ("/F1"). */
function fontDecoders(fontDict: PDFDict | undefined): Map<string, TDecoder> {
  const decoders = new Map<string, TDecoder>();
  for (const [name, ref] of fontDict?.entries() ?? []) {
    const toUnicode = fontDict!.context.lookup(ref, PDFDict).get(PDFName.of('ToUnicode'));
    decoders.set(name.asString(), toUnicode ? cmapDecoder(streamBytes(fontDict!.context.lookup(toUnicode))) : latin1);
  }
  return decoders;
}

/** UTF-16BE hex ("00480065" or a surrogate pair "D83DDE00") to a string. */
const utf16 = (hex: string): string => String.fromCharCode(...(hex.match(/[0-9a-f]{4}/gi) ?? []).map((unit) => parseInt(unit, 16)));

/** A decoder from a ToUnicode CMap: `beginbfchar` pairs and `beginbfrange` ranges (offset or array form). */
function cmapDecoder(cmap: string): TDecoder {
  const map = new Map<number, string>();
  const codeBytes = (/begincodespacerange\s*<([0-9a-f]+)>/i.exec(cmap)?.[1]?.length ?? 4) / 2;
  for (const [, body] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, unicode] of body!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]*)>/gi)) map.set(parseInt(code!, 16), utf16(unicode!));
  }
  for (const [, body] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lowHex, highHex, destination] of body!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(<[0-9a-f]*>|\[[^\]]*\])/gi)) {
      const low = parseInt(lowHex!, 16);
      const high = parseInt(highHex!, 16);
      if (destination!.startsWith('[')) {
        [...destination!.matchAll(/<([0-9a-f]*)>/gi)].forEach(([, unicode], index) => map.set(low + index, utf16(unicode!)));
      } else {
        // The range maps to consecutive values: the last UTF-16 unit of the destination goes up by one per code.
        const units = destination!.slice(1, -1);
        const prefix = units.slice(0, -4);
        const last = parseInt(units.slice(-4), 16);
        for (let code = low; code <= high; code++) map.set(code, utf16(prefix + (last + code - low).toString(16).padStart(4, '0')));
      }
    }
  }
  return (raw) => {
    let text = '';
    for (let i = 0; i < raw.length; i += codeBytes) {
      let code = 0;
      for (let j = 0; j < codeBytes; j++) code = code * 256 + (raw.charCodeAt(i + j) || 0);
      text += map.get(code) ?? '\uFFFD';
    }
    return text;
  };
}

// Content stream tokens: hex strings, literal strings (no nested parentheses), arrays, names, numbers, operators.
const TOKEN = /<<|>>|<[0-9a-f\s]*>|\((?:\\[\s\S]|[^\\)])*\)|\[|\]|\/[^\s/[\]()<>%]*|[^\s/[\]()<>%]+|%[^\r\n]*/gi;

/** The raw bytes of a string token, as a latin1 string. */
function stringBytes(token: string): string {
  if (token.startsWith('<')) {
    const hex = token.slice(1, -1).replace(/\s/g, '');
    return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex').toString('latin1');
  }
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '\n': '' };
  return token
    .slice(1, -1)
    .replace(/\\([0-7]{1,3}|[\s\S])/g, (_, escape: string) =>
      /^[0-7]/.test(escape) ? String.fromCharCode(parseInt(escape, 8) & 0xff) : (escapes[escape] ?? escape),
    );
}

const isString = (token: string): boolean => (token.startsWith('<') && token !== '<<') || token.startsWith('(');

function pageText(content: string, fonts: Map<string, TDecoder>): string {
  const lines: string[] = [];
  let operands: (string | string[])[] = [];
  let array: string[] | undefined;
  let decode = latin1;
  // Open marked-content sequences: a `Span` line collects its pieces; an ActualText replaces what is drawn inside.
  const marked: { pieces?: string[]; actualText?: string }[] = [];
  const emit = (text: string) => {
    if (marked.some((entry) => entry.actualText !== undefined)) return;
    const line = [...marked].reverse().find((entry) => entry.pieces);
    if (line?.pieces) line.pieces.push(text);
    else lines.push(text);
  };
  const show = (strings: string[]) => emit(strings.map((token) => decode(stringBytes(token))).join(''));
  for (const [token] of content.matchAll(TOKEN)) {
    if (token.startsWith('%')) continue;
    if (token === '[') array = [];
    else if (token === ']') {
      operands.push(array ?? []);
      array = undefined;
    } else if (array) {
      if (isString(token)) array.push(token); // numbers in a TJ array are kerning; not read as spaces
    } else if (isString(token) || /^[/+\-.\d]/.test(token) || token === '<<' || token === '>>') operands.push(token);
    else {
      // An operator: act on the ones that select a font or show text, then start over with its operands.
      const last = operands[operands.length - 1];
      if (token === 'Tf' && typeof operands[0] === 'string') decode = fonts.get(operands[0]) ?? latin1;
      else if ((token === 'Tj' || token === "'" || token === '"') && typeof last === 'string') show([last]);
      else if (token === 'TJ' && Array.isArray(last)) show(last);
      else if (token === 'BMC') marked.push(operands[0] === '/Span' ? { pieces: [] } : {});
      else if (token === 'BDC') marked.push({ actualText: spanActualText(operands) });
      else if (token === 'EMC') {
        const entry = marked.pop();
        if (entry?.actualText !== undefined) emit(entry.actualText);
        if (entry?.pieces) emit(logicalOrder(entry.pieces.join('')));
      }
      operands = [];
    }
  }
  return lines.join('\n');
}

/** The ActualText of a `/Span <</ActualText <FEFF...>>> BDC`, as text; undefined for other marked content. */
function spanActualText(operands: (string | string[])[]): string | undefined {
  const value = operands[operands.indexOf('/ActualText') + 1];
  if (!operands.includes('/ActualText') || typeof value !== 'string' || !isString(value)) return undefined;
  const bytes = Buffer.from(stringBytes(value), 'latin1');
  const hasBom = bytes[0] === 0xfe && bytes[1] === 0xff;
  return hasBom ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le') : bytes.toString('latin1');
}

const bidi = bidiFactory();

/** A line as drawn (right-to-left runs in visual order) back in the order it was written. */
function logicalOrder(visual: string): string {
  if (!/[\p{Script=Arabic}\p{Script=Hebrew}]/u.test(visual)) return visual;
  // Reversal by UTF-16 unit, so a surrogate pair (an emoji) in a reversed stretch is put back the right way round.
  const units = visual.split('');
  for (const [start, end] of bidi.getReorderSegments(visual, bidi.getEmbeddingLevels(visual, 'ltr')) as [number, number][]) {
    units.splice(start, end - start + 1, ...units.slice(start, end + 1).reverse());
  }
  return units.join('').replace(/([\udc00-\udfff])([\ud800-\udbff])/g, '$2$1');
}
