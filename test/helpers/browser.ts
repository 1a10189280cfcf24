import path from 'node:path';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's package (`apt-get install -y chromium`), which `scripts/setup.mjs` installs when it can. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags that work on the build machines: no sandbox (root in a container), no GPU, and none of Chromium's own
 * background traffic (component updates, sync, QUIC probes), which floods a closed network.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `CHROMIUM_PATH`, else Debian's Chromium; an error naming the missing browser otherwise (never a skip). */
export function chromiumExecutable(): string {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH=${override} does not exist: point it at a Chromium executable.`);
    return override;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  throw new Error(
    `Chromium is missing: ${DEBIAN_CHROMIUM} does not exist and CHROMIUM_PATH is not set. ` +
      'Run `npm run setup` as root on Debian (it installs it with `apt-get install -y chromium`), ' +
      'or install Chromium yourself and set CHROMIUM_PATH. (`npx playwright install` does not work here.)',
  );
}

/** A headless Chromium through playwright-core; the caller closes it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: CHROMIUM_ARGS });
}

/**
 * Waits until Chromium's built-in PDF viewer (an extension frame inside the page's iframe) shows a document: its
 * page selector appears once the PDF is loaded and the first page is painted. For screenshots only; the viewer's
 * insides belong to Chromium and may change with a new version, so this reports rather than throws.
 */
export async function waitForPdfViewer(page: Page, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const viewer = page.frames().find((frame) => frame.url().startsWith('chrome-extension://'));
    if (viewer) {
      return viewer
        .locator('#pageSelector')
        .waitFor({ state: 'visible', timeout: Math.max(deadline - Date.now(), 1) })
        .then(
          () => true,
          () => false,
        );
    }
    await page.waitForTimeout(100);
  }
  return false;
}

/**
 * Presses a form's button with the keyboard, as keyboard users do. On the pages that embed a PDF, a mouse click may
 * never reach the button: Chromium can route a click made just after scrolling by where its PDF viewer frame was
 * before the scroll, and the form is not sent (seen about once in ten runs). A key press goes to the focused button.
 */
export const pressButton = (button: Locator): Promise<void> => button.press('Enter');

/** The address of every form the page posts, in order, from now on. */
export function recordPosts(page: Page): string[] {
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url());
  });
  return posts;
}

/** Where browser tests save their screenshots (git-ignored). */
export const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'test-output');

/** One Chromium for a test file, launched before its tests and closed after them. */
export function useChromium(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser(): Browser {
      if (!browser) throw new Error('Chromium is not running: useChromium() must be called at the top of the test file');
      return browser;
    },
  };
}
