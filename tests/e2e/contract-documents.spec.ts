import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ContractView } from '@bulwark/api-schema';

import { auth, login } from '../support/app';
import { newSession, reportUnavailable, shot, signIn, startStack, textOf, tid, type Stack } from './support/browser';

const unavailable = reportUnavailable();

/** The SHA-256 (hex) of what the page downloads from `href` with its own session. */
const downloadedSha = (page: Page, href: string) =>
  page.evaluate(async (url) => {
    const bytes = await (await fetch(url)).arrayBuffer();
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, href);

/** Issue 10: contract documents are evidence of kind `contract`; the contract page keeps working on them. */
describe.skipIf(unavailable)('contract documents on the contract page', () => {
  let stack: Stack;
  let contract: ContractView;
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-e2e-docs-'));
  const file = join(dir, 'Bloomberg Data License (signed).pdf');
  const pdf = Buffer.from(`%PDF-1.7\n${'Bloomberg data license, signed copy. '.repeat(400)}\n%%EOF\n`);
  const sha = createHash('sha256').update(pdf).digest('hex');

  beforeAll(async () => {
    writeFileSync(file, pdf);
    stack = await startStack();
    const token = await login(stack.t, 'procurement@demo.bulwark.test');
    const [{ id: vendorId }] = (await stack.t.app
      .get(DataSource)
      .query(
        `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = 'Bloomberg'`,
      )) as { id: string }[];
    contract = (
      await stack.t.http
        .post('/api/contracts')
        .set(auth(token))
        .send({ vendorId, title: 'Bloomberg Data License', status: 'active', effectiveDate: new Date().toISOString().slice(0, 10) })
        .expect(201)
    ).body as ContractView;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('procurement uploads a signed copy; it lists with its title, hash and uploader, and downloads the same bytes', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'procurement@demo.bulwark.test', 'vendor-row');
    await page.goto(`${stack.baseUrl}/contracts/${contract.id}`);
    await page.waitForSelector(tid('documents-empty'));
    const input = (await page.waitForSelector(tid('document-upload-input'))) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await page.locator(tid('document-upload-submit')).click();
    await page.waitForSelector(tid('document-row'));
    expect(await textOf(page, tid('document-title'))).toBe('Bloomberg Data License (signed)');
    expect(await textOf(page, tid('document-name'))).toBe('Bloomberg Data License (signed).pdf');
    expect(await textOf(page, tid('document-type'))).toBe('application/pdf');
    expect(await page.$eval(tid('document-sha256'), (el) => el.getAttribute('data-sha256'))).toBe(sha);
    expect(await textOf(page, tid('document-uploaded-by'))).toMatch(/^by /);
    const href = await page.$eval(tid('document-download'), (el) => el.getAttribute('href'));
    expect(href).toMatch(new RegExp(`^/api/contracts/${contract.id}/documents/[0-9a-f-]{36}$`));
    expect(await downloadedSha(page, href!)).toBe(sha);
    await shot(page, 'contract-documents-uploaded');
  });

  it('a vendor manager reads it on the contract and finds it as contract evidence in the vendor’s library, without write actions', async () => {
    const page = await newSession(stack);
    await signIn(stack, page, 'manager@demo.bulwark.test', 'vendor-row');
    await page.goto(`${stack.baseUrl}/contracts/${contract.id}`);
    await page.waitForSelector(tid('document-row'));
    expect(await page.$(tid('document-upload-form'))).toBeNull();
    await page.locator(tid('documents-library-link')).click();
    await page.waitForSelector(tid('evidence-library'));
    const title = 'Bloomberg Data License (signed)';
    await page.waitForFunction(
      (sel: string, t: string) => [...document.querySelectorAll(sel)].some((el) => el.textContent?.includes(t)),
      {},
      tid('evidence-item'),
      title,
    );
    const card = await page.evaluate(
      (sel: string, t: string, toggle: string) => {
        const el = [...document.querySelectorAll(sel)].find((e) => e.textContent?.includes(t));
        return { text: el?.textContent ?? '', canRevise: !!el?.querySelector(toggle) };
      },
      tid('evidence-item'),
      title,
      tid('revision-upload-toggle'),
    );
    expect(card.text).toContain('Contract · Confidential');
    expect(card.text).toContain('Contract: Bloomberg Data License');
    expect(card.canRevise).toBe(false);
    await shot(page, 'contract-documents-in-evidence-library');
  });
});
