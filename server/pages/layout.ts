import { escapeHtml } from '../../domain/escape-html';

export { escapeHtml };

/** Every page: plain, readable on a phone, no scripts. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; color: #1b1b1f; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; }
  .muted { color: #555; }
  dl { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: .25rem 1rem; }
  dt { font-weight: 600; color: #444; white-space: nowrap; }
  dd { margin: 0; overflow-wrap: anywhere; }
  iframe { width: 100%; height: 28rem; border: 1px solid #ccc; }
  form { margin: 1.5rem 0; padding: 1rem; border: 1px solid #ddd; border-radius: .5rem; }
  label { display: block; margin: .5rem 0; }
  input[type=text], textarea { width: 100%; padding: .4rem; font: inherit; box-sizing: border-box; }
  button { font: inherit; padding: .5rem 1.2rem; border-radius: .4rem; border: 0; background: #14532d; color: white; cursor: pointer; }
  button.secondary { background: #7f1d1d; }
  .notice { padding: 1rem; border-radius: .5rem; background: #f1f5f9; }
  .error { background: #fef2f2; border: 1px solid #fecaca; }
</style>
</head>
<body>
${body}
</body>
</html>`;
}

export function messagePage(title: string, message: string, kind: 'ok' | 'error'): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="notice ${kind === 'error' ? 'error' : ''}">${escapeHtml(message)}</p>`);
}
