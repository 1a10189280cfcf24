import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

// DejaVu Sans covers extended Latin and Vietnamese: partner names such as "Hội Người Việt" or
// "Ururka Haweenka Soomaaliyeed" print as written, which pdf-lib's standard fonts cannot do.
const fontPath = (file: string): string => require.resolve(`dejavu-fonts-ttf/ttf/${file}`);
let fontBytes: { regular: Buffer; bold: Buffer } | undefined;
const loadFontBytes = () =>
  (fontBytes ??= { regular: readFileSync(fontPath('DejaVuSans.ttf')), bold: readFileSync(fontPath('DejaVuSans-Bold.ttf')) });

/**
 * Parsing a TrueType font takes about 20 ms and a document embeds two, several times per sealed PDF. The parsed
 * fonts are read-only, so every document shares them; each still embeds its own subset, byte for byte as before.
 */
const parsedFonts = new WeakMap<Uint8Array, ReturnType<typeof fontkit.create>>();
const sharedFontkit: typeof fontkit = {
  ...fontkit,
  create(bytes, postscriptName) {
    if (postscriptName !== undefined) return fontkit.create(bytes, postscriptName);
    let parsed = parsedFonts.get(bytes);
    if (!parsed) {
      parsed = fontkit.create(bytes);
      memoizeLayout(parsed);
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
function memoizeLayout(font: ReturnType<typeof fontkit.create>): void {
  const layouts = new Map<string, ReturnType<typeof font.layout>>();
  const layout = font.layout.bind(font);
  font.layout = (text, features) => {
    if (features !== undefined) return layout(text, features);
    let run = layouts.get(text);
    if (!run) {
      if (layouts.size >= MAX_CACHED_LAYOUTS) layouts.clear();
      run = layout(text);
      layouts.set(text, run);
    }
    return run;
  };
}

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

/** Writes flowing text top to bottom, wrapping lines and adding pages as needed. */
export class TextLayout {
  private page!: PDFPage;
  private y = 0;

  private constructor(
    private readonly document: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  static async on(document: PDFDocument): Promise<TextLayout> {
    document.registerFontkit(sharedFontkit);
    const bytes = loadFontBytes();
    const regular = await document.embedFont(bytes.regular, { subset: true });
    const bold = await document.embedFont(bytes.bold, { subset: true });
    return new TextLayout(document, regular, bold);
  }

  newPage(): this {
    this.page = this.document.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
    return this;
  }

  heading(text: string, size = 16): this {
    this.gap(size * 0.6);
    return this.lines(text, { font: this.bold, size });
  }

  paragraph(text: string, size = 10.5): this {
    this.lines(text, { font: this.regular, size });
    return this.gap(size * 0.5);
  }

  /** "Label: value" with the label in bold on its own column. */
  field(label: string, value: string, size = 10.5, labelWidth = 150): this {
    const lines = this.wrap(value, this.regular, size, PAGE.width - 2 * PAGE.margin - labelWidth);
    this.ensureRoom(size * 1.4 * lines.length);
    this.page.drawText(label, { x: PAGE.margin, y: this.y - size, size, font: this.bold, color: MUTED });
    for (const line of lines) {
      this.page.drawText(line, { x: PAGE.margin + labelWidth, y: this.y - size, size, font: this.regular, color: INK });
      this.y -= size * 1.4;
    }
    return this;
  }

  /** A bold title over "Label: value" rows, moved whole to the next page when it would not fit on this one. */
  block(title: string, rows: readonly (readonly [label: string, value: string])[], size = 9, labelWidth = 110): this {
    const lineHeight = size * 1.4;
    const titleLines = this.wrap(title, this.bold, size + 1, PAGE.width - 2 * PAGE.margin).length;
    const rowLines = rows.reduce((count, [, value]) => count + this.wrap(value, this.regular, size, PAGE.width - 2 * PAGE.margin - labelWidth).length, 0);
    this.ensureRoom(titleLines * (size + 1) * 1.4 + rowLines * lineHeight);
    this.lines(title, { font: this.bold, size: size + 1 });
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

  private lines(text: string, { font, size }: { font: PDFFont; size: number }): this {
    for (const line of this.wrap(text, font, size, PAGE.width - 2 * PAGE.margin)) {
      this.ensureRoom(size * 1.4);
      this.page.drawText(line, { x: PAGE.margin, y: this.y - size, size, font, color: INK });
      this.y -= size * 1.4;
    }
    return this;
  }

  private ensureRoom(height: number): void {
    if (this.y - height < PAGE.margin) this.newPage();
  }

  /** Greedy wrapping on word widths: words are shaped once each (and remembered), not every growing line. */
  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const measure = (word: string) => font.widthOfTextAtSize(word, size);
    const space = measure(' ');
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
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
}
