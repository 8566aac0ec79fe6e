import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

import { portalDir } from '@bulwark/api';

import { bootApp, seedOrgs, type TestApp } from '../../support/app';
import { CHROMIUM, missingService, ROOT } from '../../support/services';

export const SCREENSHOTS = join(ROOT, 'tests', 'e2e', 'screenshots');

/** Why browser tests cannot run here, or null when they can. */
export function browserUnavailable(): string | null {
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM}: browser tests skipped (apt-get install chromium)`;
  if (!existsSync(join(portalDir(), 'index.html'))) return 'portal not built (npm run build:portal): browser tests skipped';
  return null;
}

export function reportUnavailable(): boolean {
  const reason = browserUnavailable();
  if (reason) missingService(reason);
  return reason !== null;
}

export interface Stack {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The real app on its own database, listening on a free port, with the demo data and a headless Chromium. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const t = await bootApp(env);
  await seedOrgs(t, true);
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** A fresh browser context (its own cookies) with a desktop-sized page. */
export async function newSession(stack: Stack): Promise<Page> {
  const ctx = await stack.browser.createBrowserContext();
  const page = await ctx.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  page.setDefaultTimeout(15_000);
  return page;
}

/** Saves a screenshot: the whole page, or with `viewport` what the user sees (for a drawer or a dialog,
 *  whose fixed layers cover only the viewport in a full-page capture). */
export async function shot(page: Page, name: string, opts: { viewport?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) as `${string}.png`, fullPage: !opts.viewport });
}

/** Waits until an open Mantine drawer has finished sliding in (before a screenshot of it). */
export async function drawerSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const c = document.querySelector('.mantine-Drawer-content');
    return !!c && getComputedStyle(c).opacity === '1' && ['none', 'matrix(1, 0, 0, 1, 0, 0)'].includes(getComputedStyle(c).transform);
  });
}

export async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForSelector(selector, { visible: true });
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}

/** The selector of a `data-testid`. */
export const tid = (id: string): string => `[data-testid="${id}"]`;

/** Signs in on the login page with the demo password; with `landing`, waits for that test id. */
export async function signIn(stack: Stack, page: Page, email: string, landing?: string): Promise<void> {
  await page.goto(`${stack.baseUrl}/login`);
  await fill(page, tid('login-email'), email);
  await fill(page, tid('login-password'), 'bulwark-demo');
  await page.locator(tid('login-submit')).click();
  if (landing) await page.waitForSelector(tid(landing));
}

/** The text of an element, once it is visible. */
export async function textOf(page: Page, selector: string): Promise<string> {
  await page.waitForSelector(selector, { visible: true });
  return page.$eval(selector, (el) => el.textContent ?? '');
}

/** The value of an input. */
export async function valueOf(page: Page, selector: string): Promise<string> {
  await page.waitForSelector(selector);
  return page.$eval(selector, (el) => (el as HTMLInputElement).value);
}

/** Sets a controlled `<input type="date">` the way a user's pick does (its text entry depends on the browser's locale). */
export async function setDate(page: Page, testId: string, value: string): Promise<void> {
  await page.$eval(
    tid(testId),
    (el, v) => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(el, v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

/** Drops a PDF built in the page onto the drop zone, as a file dragged from the desktop. */
export async function dropPdf(page: Page, testId: string, name: string): Promise<void> {
  await page.$eval(
    tid(testId),
    (el, fileName) => {
      const dt = new DataTransfer();
      dt.items.add(new File(['%PDF-1.7\n', 'certificate body '.repeat(2000), '\n%%EOF'], fileName, { type: 'application/pdf' }));
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    name,
  );
}

/** Types into a searchable Mantine select and clicks the option whose text contains `option`. */
export async function pickOption(page: Page, inputSelector: string, search: string, option: string): Promise<void> {
  await page.locator(inputSelector).click();
  await page.type(inputSelector, search);
  const handle = await page.waitForFunction(
    // An option of the open dropdown, once it is laid out and done fading in.
    (want) =>
      [...document.querySelectorAll('[role="option"]')].find(
        (o) =>
          o.textContent?.includes(want) &&
          o.getBoundingClientRect().height > 0 &&
          getComputedStyle(o.closest('.mantine-Combobox-dropdown') ?? o).opacity === '1',
      ),
    {},
    option,
  );
  await (handle as import('puppeteer-core').ElementHandle<Element>).click();
  // A multi-select stays open for more: close it, as a user moving on would.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('.mantine-Combobox-dropdown:not([style*="display: none"])'));
}

/**
 * Waits until a click at the centre of the element would reach it (a panel still sliding open clips its
 * content, and a click there lands on what is underneath), then clicks it.
 */
export async function clickWhenReachable(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      if (!el) return false;
      el.scrollIntoView({ block: 'center' });
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) return false;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return !!hit && (hit === el || el.contains(hit));
    },
    {},
    selector,
  );
  await page.locator(selector).click();
}
