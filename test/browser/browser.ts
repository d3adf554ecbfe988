/**
 * Browser-test helpers: Debian chromium driven by playwright-core (no downloaded browser build),
 * the real app listening on a loopback port, and screenshots under the gitignored `test-artifacts/`
 * for a person to look at.
 *
 * @example
 * const portal = await startPortal();
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * await page.goto(`${portal.baseUrl}/catalogue`);
 * await screenshot(page, 'catalogue');
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testApp, type TestApp } from '../helpers/test-app.ts';

export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface RunningPortal {
  baseUrl: string;
  test: TestApp;
  close(): Promise<void>;
}

/** The real app on 127.0.0.1 and a free port. */
export async function startPortal(): Promise<RunningPortal> {
  const test = await testApp();
  const address = await test.app.server.listen({ host: '127.0.0.1', port: 0 });
  return { baseUrl: address.replace('localhost', '127.0.0.1'), test, close: () => test.close() };
}

/** Saves a full-page screenshot as `test-artifacts/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^a-z0-9_-]+/gi, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Serious or critical axe violations of the page as it is now (WCAG 2.1 A/AA and best practices), one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

export interface Visit {
  status: number;
  /** Bytes of JavaScript the page downloaded (the 200 KB budget). */
  jsBytes: number;
  /** Console errors and uncaught page errors. */
  problems: string[];
}

/** Opens `url` and waits for the network to settle, counting JavaScript bytes and console errors. */
export async function visit(page: Page, url: string): Promise<Visit> {
  let jsBytes = 0;
  const problems: string[] = [];
  // Bodies are read asynchronously: wait for every read before counting (a loaded machine finishes them late).
  const reads: Array<Promise<unknown>> = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script') reads.push(res.body().then((b) => (jsBytes += b.length), () => undefined));
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const res = await page.goto(url, { waitUntil: 'networkidle' });
  await Promise.all(reads);
  return { status: res?.status() ?? 0, jsBytes, problems };
}
