// Public information and the course catalogue (R1.1–R1.3): every district running Komet, and per
// course its dates, times, place, language, contact persons and free seats; filters; English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';

let stack: TestStack;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
});
afterAll(async () => stack?.stop());

const page = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, html: await res.text() };
};

describe('public pages', () => {
  it('lists the districts that run Komet on the start page', async () => {
    const { html } = await page('/');
    expect(html).toContain('<html lang="sv"');
    expect(html).toContain('href="/kurser?district=sodermalm"');
    expect(html).toContain('href="/kurser?district=rinkeby-kista"');
    expect(html).toContain('Övriga stadsdelar');
  });

  it('shows each course with dates, times, place, language, contact persons and free seats', async () => {
    const { html } = await page('/kurser?district=sodermalm&language=sv');
    expect(html).toContain('Komet för föräldrar till barn 3–11 år');
    expect(html).toMatch(/tisdag \d+ \w+ \d{4}, 17:30–20:00/);
    expect(html).toContain('Familjecentralen Södermalm, Götgatan 67');
    expect(html).toContain('svenska');
    expect(html).toContain('Sara Lind');
    expect(html).toContain('070-123 45 01');
    expect(html).toContain('12 av 12 platser lediga');
    expect(html).not.toContain('Rinkeby Folkets hus');
  });

  it('filters by course kind, language and start date, with a helpful empty state', async () => {
    expect((await page('/kurser?language=ar')).html).toContain('Komet på arabiska');
    const empty = await page('/kurser?from=2099-01-01');
    expect(empty.html).toContain('Inga kurser matchar din sökning.');
    const web = (await page('/kurser?kind=webCourse')).html;
    expect(web).toContain('Komet på webben');
    expect(web).not.toContain('Familjecentralen Södermalm');
    expect((await page('/kurser?district=<script>')).status).toBe(200); // bad filters are ignored, not errors
  });

  it('speaks English when asked, and keeps it', async () => {
    const res = await app.request('/kurser?lang=en');
    const html = await res.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('Find a course');
    expect(res.headers.get('set-cookie')).toContain('komet_lang=en');
  });

  it('answers 404 with a page for an unknown course', async () => {
    const { status, html } = await page('/kurser/00000000-0000-4000-8000-000000000000');
    expect(status).toBe(404);
    expect(html).toContain('Sidan finns inte');
  });
});
