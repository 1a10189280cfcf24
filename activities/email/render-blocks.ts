import { escapeHtml } from '../../domain/escape-html';

export interface TRenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** An email is paragraphs and facts; both the plain-text and the HTML part are made from the same blocks. */
export type TBlock = { paragraph: string } | { facts: [string, string][] } | { link: { label: string; url: string } };

/** The plain-text and HTML parts of an email made of `blocks`. */
export const renderBlocks = (subject: string, blocks: TBlock[]): TRenderedEmail => ({
  subject,
  text: toText(blocks),
  html: toHtml(subject, blocks),
});

function toText(blocks: TBlock[]): string {
  return blocks
    .map((block) =>
      'paragraph' in block
        ? block.paragraph
        : 'link' in block
          ? `${block.link.label}: ${block.link.url}`
          : block.facts.map(([k, v]) => `${k}: ${v}`).join('\n'),
    )
    .join('\n\n');
}

function toHtml(subject: string, blocks: TBlock[]): string {
  const body = blocks
    .map((block) =>
      'paragraph' in block
        ? `<p>${escapeHtml(block.paragraph)}</p>`
        : 'link' in block
          ? `<p><a href="${escapeHtml(block.link.url)}">${escapeHtml(block.link.label)}</a></p>`
          : `<table>${block.facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${body}</body></html>`;
}
