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
