import {
  CustomFontSubsetEmbedder,
  PDFDocument,
  PDFFont,
  PDFHexString,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  rgb,
  type Color,
  type PDFPage,
} from 'pdf-lib';
import { DEJAVU, loadFace, type TFontFace, type TWeight } from './font-faces';
import { sharedFontkit } from './shared-fontkit';
import { splitIntoRuns, type TRun } from './split-into-runs';

const PAGE = { width: 612, height: 792, margin: 56 } as const;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.35, 0.35, 0.4);

/** Fixed metadata so the same input always gives the same bytes, hence the same SHA-256. */
export async function createDocument(meta: { title: string; subject: string; at: string }): Promise<PDFDocument> {
  const document = await PDFDocument.create();
  applyMetadata(document, meta);
  return document;
}

export function applyMetadata(document: PDFDocument, meta: { title: string; subject: string; at: string }): void {
  document.setTitle(meta.title);
  document.setSubject(meta.subject);
  document.setProducer('cpo-contracting-pipeline');
  document.setCreator('cpo-contracting-pipeline');
  document.setCreationDate(new Date(meta.at));
  document.setModificationDate(new Date(meta.at));
}

export const savePdf = (document: PDFDocument): Promise<Uint8Array> => document.save({ useObjectStreams: false });

/** The faces a document has embedded, each as a subset of the glyphs it draws; DejaVu first, the others on first use. */
class DocumentFonts {
  private readonly fonts = new Map<string, PDFFont>();

  private constructor(private readonly document: PDFDocument) {}

  static async of(document: PDFDocument): Promise<DocumentFonts> {
    document.registerFontkit(sharedFontkit);
    const fonts = new DocumentFonts(document);
    for (const weight of ['regular', 'bold'] as const) {
      fonts.fonts.set(`${DEJAVU.name}/${weight}`, await document.embedFont(loadFace(DEJAVU, weight).bytes, { subset: true }));
    }
    return fonts;
  }

  get(face: TFontFace, weight: TWeight): PDFFont {
    const key = `${face.name}/${weight}`;
    let font = this.fonts.get(key);
    if (!font) {
      font = this.embed(face, weight);
      this.fonts.set(key, font);
    }
    return font;
  }

  /**
   * pdf-lib's embedFont is async only in name (fontkit parses synchronously); drawing is synchronous, so a face a
   * line needs is embedded here the way embedFont does it, and saved with the document's other fonts.
   */
  private embed(face: TFontFace, weight: TWeight): PDFFont {
    const { bytes, font } = loadFace(face, weight);
    const Embedder = CustomFontSubsetEmbedder as unknown as new (font: unknown, bytes: Uint8Array) => CustomFontSubsetEmbedder;
    const pdfFont = PDFFont.of(this.document.context.nextRef(), this.document, new Embedder(font, bytes));
    (this.document as unknown as { fonts: PDFFont[] }).fonts.push(pdfFont);
    return pdfFont;
  }
}

/** Writes flowing text top to bottom, wrapping lines and adding pages as needed. */
export class TextLayout {
  private page!: PDFPage;
  private y = 0;

  private constructor(
    private readonly document: PDFDocument,
    private readonly fonts: DocumentFonts,
  ) {
    this.newPage();
  }

  static async on(document: PDFDocument): Promise<TextLayout> {
    return new TextLayout(document, await DocumentFonts.of(document));
  }

  newPage(): this {
    this.page = this.document.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
    return this;
  }

  heading(text: string, size = 16): this {
    this.gap(size * 0.6);
    return this.lines(text, { weight: 'bold', size });
  }

  paragraph(text: string, size = 10.5): this {
    this.lines(text, { weight: 'regular', size });
    return this.gap(size * 0.5);
  }

  /** "Label: value" with the label in bold on its own column. */
  field(label: string, value: string, size = 10.5, labelWidth = 150): this {
    const lines = this.wrap(value, 'regular', size, PAGE.width - 2 * PAGE.margin - labelWidth);
    this.ensureRoom(size * 1.4 * lines.length);
    this.drawLine(label, { x: PAGE.margin, size, weight: 'bold', color: MUTED });
    for (const line of lines) {
      this.drawLine(line, { x: PAGE.margin + labelWidth, size, weight: 'regular', color: INK });
      this.y -= size * 1.4;
    }
    return this;
  }

  /** A bold title over "Label: value" rows, moved whole to the next page when it would not fit on this one. */
  block(title: string, rows: readonly (readonly [label: string, value: string])[], size = 9, labelWidth = 110): this {
    const lineHeight = size * 1.4;
    const titleLines = this.wrap(title, 'bold', size + 1, PAGE.width - 2 * PAGE.margin).length;
    const rowLines = rows.reduce(
      (count, [, value]) => count + this.wrap(value, 'regular', size, PAGE.width - 2 * PAGE.margin - labelWidth).length,
      0,
    );
    this.ensureRoom(titleLines * (size + 1) * 1.4 + rowLines * lineHeight);
    this.lines(title, { weight: 'bold', size: size + 1 });
    for (const [label, value] of rows) this.field(label, value, size, labelWidth);
    return this;
  }

  gap(points: number): this {
    this.y -= points;
    return this;
  }

  rule(): this {
    this.ensureRoom(12);
    this.page.drawLine({
      start: { x: PAGE.margin, y: this.y - 4 },
      end: { x: PAGE.width - PAGE.margin, y: this.y - 4 },
      thickness: 0.5,
      color: MUTED,
    });
    return this.gap(12);
  }

  private lines(text: string, { weight, size }: { weight: TWeight; size: number }): this {
    for (const line of this.wrap(text, weight, size, PAGE.width - 2 * PAGE.margin)) {
      this.ensureRoom(size * 1.4);
      this.drawLine(line, { x: PAGE.margin, size, weight, color: INK });
      this.y -= size * 1.4;
    }
    return this;
  }

  /**
   * One line at the current baseline. A line DejaVu draws alone is one string, as always. Any other line is a marked
   * `Span` drawn run by run (each in its face, in visual order, see splitIntoRuns). A left-to-right run whose glyphs
   * do not spell its text in order (Devanagari, Myanmar and Khmer reorder and merge) carries the text as ActualText;
   * right-to-left runs are plain glyphs in visual order, which extractors (pdftotext, extractPdfText) turn back.
   */
  private drawLine(line: string, { x, size, weight, color }: { x: number; size: number; weight: TWeight; color: Color }): void {
    const y = this.y - size;
    const runs = splitIntoRuns(line);
    if (runs.length === 1 && runs[0]!.face === DEJAVU && !runs[0]!.rtl) {
      this.page.drawText(line, { x, y, size, font: this.fonts.get(DEJAVU, weight), color });
      return;
    }
    this.page.pushOperators(PDFOperator.of(PDFOperatorNames.BeginMarkedContent, [PDFName.of('Span')]));
    let runX = x;
    for (const run of runs) {
      const font = this.fonts.get(run.face, weight);
      const actualText =
        !run.rtl && !glyphsSpell(run, weight) ? `<</ActualText ${PDFHexString.fromText(run.text).toString()}>>` : undefined;
      if (actualText)
        this.page.pushOperators(PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [PDFName.of('Span'), actualText]));
      this.page.drawText(run.text, { x: runX, y, size, font, color });
      if (actualText) this.page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
      runX += font.widthOfTextAtSize(run.text, size);
    }
    this.page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
  }

  private ensureRoom(height: number): void {
    if (this.y - height < PAGE.margin) this.newPage();
  }

  private width(text: string, weight: TWeight, size: number): number {
    return splitIntoRuns(text).reduce((sum, run) => sum + this.fonts.get(run.face, weight).widthOfTextAtSize(run.text, size), 0);
  }

  /**
   * Greedy wrapping on word widths: words are shaped once each (and remembered), not every growing line. A word
   * wider than the line (Chinese, Thai and others write without spaces) is broken between characters.
   */
  private wrap(text: string, weight: TWeight, size: number, width: number): string[] {
    const measure = (word: string) => this.width(word, weight, size);
    const space = measure(' ');
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph
        .split(/\s+/)
        .filter(Boolean)
        .flatMap((whole) => this.breakWord(whole, measure, width))) {
        const wordWidth = measure(word);
        if (line && lineWidth + space + wordWidth > width) {
          lines.push(line);
          line = word;
          lineWidth = wordWidth;
        } else {
          lineWidth = line ? lineWidth + space + wordWidth : wordWidth;
          line = line ? `${line} ${word}` : word;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  private breakWord(word: string, measure: (text: string) => number, width: number): string[] {
    if (measure(word) <= width) return [word];
    const pieces: string[] = [];
    let piece = '';
    for (const char of word) {
      // Never break before a mark or joiner: it belongs to the character before it.
      if (piece && !CLINGS.test(char) && measure(piece + char) > width) {
        pieces.push(piece);
        piece = '';
      }
      piece += char;
    }
    return piece ? [...pieces, piece] : pieces;
  }
}

/** Whether the shaped glyphs' characters, in drawing order, are the run's text (so ToUnicode alone reads it back). */
const glyphsSpell = (run: TRun, weight: TWeight): boolean =>
  loadFace(run.face, weight)
    .font.layout(run.text)
    .glyphs.map((glyph) => String.fromCodePoint(...glyph.codePoints))
    .join('') === run.text;

const CLINGS = /^(?:\p{M}|[\u200c\u200d]|[\ufe00-\ufe0f]|[\u{e0100}-\u{e01ef}])$/u;
