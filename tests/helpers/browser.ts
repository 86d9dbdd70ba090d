/**
 * Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for the screen tests.
 * Playwright gives every launch a fresh profile; the flags keep Chromium off the closed network.
 * Screenshots go to test-artifacts/screens/ (kept by CI as artifacts, never committed).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { requireProgram } from './system-tools.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screens');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A hall TV runs unattended: its kiosk browser is started with this flag so calls can be heard.
  '--autoplay-policy=no-user-gesture-required',
];

/** True when Chromium is here (and under CI=true it must be: the call throws otherwise). */
export function hasChromium(): boolean {
  return requireProgram('chromium', 'chromium');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A page of the given size whose console errors and failed requests are collected. */
export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 800 },
): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { page, context, errors };
}

/** Saves a full-size screenshot as a test artifact; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Elements whose content is wider or taller than their box and is clipped or spills out: the
 * "nothing overflows" check of every screen. Returns a description of each offender.
 */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(OVERFLOW_CHECK) as Promise<string[]>;
}

// Runs in the page (kept as text: the tests' TypeScript has no DOM types). Elements inside
// [data-scrolls] are meant to scroll; canvases and SVG draw their own bounds.
const OVERFLOW_CHECK = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('[data-scrolls]') || el.tagName === 'CANVAS' || el.closest('svg')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const clipsX = el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible';
    const clipsY = el.scrollHeight > el.clientHeight + 1 && style.overflowY !== 'visible';
    const r = el.getBoundingClientRect();
    const offScreen = r.width > 0 && (r.right > innerWidth + 1 || r.bottom > innerHeight + 1);
    if (clipsX || clipsY || offScreen) {
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' "' + (el.textContent || '').slice(0, 40) + '"');
    }
  }
  return out;
})()`;
