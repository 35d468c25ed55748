// Browser tests: the whole Komet stack served over real HTTP and driven by headless Chromium
// (Debian's /usr/bin/chromium through playwright-core; no downloaded browsers).
import { createServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { sv } from '../support/text';

/** Swedish text by key: the same lookup the pages use, so locators prove the labels exist. */
export { sv };

/** A port that was free a moment ago (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface WebStack {
  stack: TestStack;
  baseUrl: string;
  stop(): Promise<void>;
}

/** startStack with publicUrl = the test server, so the links in e-mails point at it; then serve createApp. */
export async function startWebStack(): Promise<WebStack> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const stack = await startStack({ publicUrl: baseUrl, PORT: port });
  const app = createApp(stack.deps);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  return {
    stack,
    baseUrl,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stack.stop();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/**
 * On the login page (reached directly or through a guarded link): ask for a link, open the newest
 * one for that address in the dev inbox, and confirm. The page ends where the `next` parameter says.
 */
export async function loginViaDevInbox(page: Page, email: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: sv('auth.login.title') }).waitFor();
  await page.getByLabel(sv('fields.email')).fill(email);
  await page.getByRole('button', { name: sv('auth.login.submit') }).click();
  await page.getByRole('heading', { level: 1, name: sv('auth.sent.title') }).waitFor();
  await page.getByRole('link', { name: sv('auth.sent.devInbox') }).click();
  await page.getByRole('heading', { level: 1, name: sv('inbox.title') }).waitFor();
  // Newest first: the first message to this address is the link just asked for.
  const mail = page.locator('article.mail').filter({ hasText: email }).first();
  await mail.getByRole('link', { name: /\/logga-in\/verifiera\?token=/ }).click();
  await page.getByRole('heading', { level: 1, name: sv('auth.verify.title') }).waitFor();
  await page.getByRole('button', { name: sv('auth.verify.submit'), exact: true }).click();
}
