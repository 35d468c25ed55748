// The chat section of the central statistics (issue 17): counted rows seeded by hand below (as the
// chat's triggers would have written them), every chat figure on the page and in its CSV checked
// against numbers counted by hand here; outcome groups and waits of fewer than five hidden; a bad
// filter answered with the form and its messages, no figures; the admin's baseline and the goal.
// The page reads the database only, so no Temporal server is started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import type { Db } from '../../lib/db';
import { saveChatSettings, DEFAULT_CHAT_SETTINGS } from '../../lib/chat/chatSettings';
import { createMailer } from '../../lib/mail/mailer';
import { createSmsSender } from '../../lib/sms/smsSender';
import { loadChatBaseline } from '../../lib/statistics/chatBaseline';
import { DEMO_STAFF, seedDemoData } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { CHAT_FIGURE_IDS } from '../../web/statistics/chatFigures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { WebClient } from '../support/webClient';
import { csvRows, figureTable } from '../support/statisticsPage';

let database: TestDatabase;
let app: ReturnType<typeof createApp>;
let central: WebClient;
let admin: WebClient;

const PERIOD = 'from=2026-03-01&to=2026-04-30';
const choice: Record<string, string> = {};

type Kind = 'answered' | 'abandoned' | 'closedNotice';
/** [day, hour, kind, wait seconds, n] */
const TALLIES: [string, number, Kind, number | null, number][] = [
  // Before the period: the chat's first day, and the same period a year before (4 answered + 1 abandoned).
  ['2025-02-01', 9, 'closedNotice', null, 1],
  ['2025-03-03', 10, 'answered', 30, 4],
  ['2025-04-01', 11, 'abandoned', 50, 1],
  // March 2026. Answered waits: 10, 20, 30, 30, 40, 60, 300 s.
  ['2026-03-02', 10, 'answered', 30, 2], // Monday, week 10
  ['2026-03-02', 10, 'answered', 60, 1],
  ['2026-03-02', 10, 'abandoned', 120, 1],
  ['2026-03-03', 11, 'answered', 10, 1], // Tuesday
  ['2026-03-03', 11, 'answered', 300, 1],
  ['2026-03-05', 19, 'answered', 40, 1], // Thursday evening
  ['2026-03-05', 21, 'closedNotice', null, 3],
  ['2026-03-07', 12, 'closedNotice', null, 2], // Saturday
  ['2026-03-09', 10, 'abandoned', 600, 1], // Monday, week 11
  ['2026-03-09', 10, 'answered', 20, 1],
  // April 2026: four answered (too few to show their waits), two who left.
  ['2026-04-08', 15, 'answered', 70, 1], // Wednesday, week 15
  ['2026-04-08', 15, 'abandoned', 30, 2],
  ['2026-04-13', 14, 'answered', 50, 3], // Monday, week 16
];

async function seed(db: Db) {
  // The test's own answers in place of the seeded Swedish defaults (never used, so they may go).
  await db.chatOutcomeChoice.deleteMany();
  const make = async (key: string, field: 'topic' | 'ageBand' | 'result', label: string, position: number, extra: { earlySupport?: boolean; retired?: boolean } = {}) => {
    const c = await db.chatOutcomeChoice.create({
      data: { field, label, position, earlySupport: extra.earlySupport ?? false, retiredAt: extra.retired ? new Date('2026-04-20T10:00:00Z') : null },
    });
    choice[key] = c.id;
  };
  await make('family', 'topic', 'Familj och relationer', 1);
  await make('school', 'topic', 'Skola', 2);
  await make('money', 'topic', 'Ekonomi', 3); // never chosen: a row with 0
  await make('young', 'ageBand', '13–15 år', 1);
  await make('older', 'ageBand', '16–18 år', 2);
  await make('advice', 'result', 'Råd i chatten', 1, { earlySupport: true });
  await make('referred', 'result', 'Hänvisad till annan verksamhet', 2);
  await make('meeting', 'result', 'Bokat möte', 3, { earlySupport: true });
  await make('old', 'result', 'Gammalt resultat', 4, { retired: true }); // used once
  await make('unused', 'result', 'Aldrig använt', 5, { retired: true }); // retired and unused: no row

  await db.chatTally.createMany({
    data: TALLIES.map(([day, hour, kind, waitSeconds, n]) => ({ day: new Date(`${day}T00:00:00Z`), hour, kind, waitSeconds, n })),
  });
  /** [day, hour, topic, age band, result, n]: ten outcomes of the eleven answered in the period. */
  const outcomes: [string, number, string, string | null, string, number][] = [
    ['2025-03-03', 10, 'family', 'young', 'advice', 4], // a year before: not in the period's efforts
    ['2026-03-02', 10, 'family', 'young', 'advice', 2],
    ['2026-03-02', 10, 'family', null, 'referred', 1],
    ['2026-03-03', 11, 'family', 'older', 'advice', 2],
    ['2026-03-05', 19, 'school', 'young', 'meeting', 1],
    ['2026-03-09', 10, 'family', 'young', 'advice', 1],
    ['2026-04-13', 14, 'family', 'older', 'meeting', 2],
    ['2026-04-13', 14, 'school', 'young', 'old', 1],
  ];
  await db.chatOutcome.createMany({
    data: outcomes.map(([day, hour, topic, age, result, n]) => ({
      day: new Date(`${day}T00:00:00Z`),
      hour,
      topicId: choice[topic],
      ageBandId: age ? choice[age] : null,
      resultId: choice[result],
      n,
    })),
  });
  // Easter Monday closed, Walpurgis Eve (a Thursday) open 10–13 only.
  await saveChatSettings(
    db,
    {
      weekly: DEFAULT_CHAT_SETTINGS.weekly,
      exceptions: [
        { date: '2026-04-06', hours: [], note: 'Annandag påsk' },
        { date: '2026-04-30', hours: [{ from: '10:00', to: '13:00' }], note: 'Valborg' },
      ],
    },
    null,
  );
}

/** Central's view of a figure: its CSV file and its data table (test/support/statisticsPage.ts). */
const csv = (path: string) => csvRows(central, path);
const table = figureTable;

async function page(query = PERIOD): Promise<string> {
  const res = await central.get(`/personal/statistik/chatt?${query}`);
  expect(res.status, query).toBe(200);
  // Numbers and their unit are kept together by a no-break space.
  return (await res.text()).replace(/\u00a0/g, ' ');
}

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await seedDemoData(db);
  await seed(db);
  const config = loadConfig({}, { databaseUrl: database.url, sessionSecret: 'test-secret-that-is-long-enough-0123456789' });
  app = createApp({ config, db, temporal: {} as never, mailer: createMailer(config), sms: createSmsSender(config), chatRelay: null });
  central = await WebClient.loggedIn(app, db, DEMO_STAFF.central);
  admin = await WebClient.loggedIn(app, db, DEMO_STAFF.admin);
});

afterAll(async () => {
  await database?.drop();
});

describe('the chat statistics', () => {
  it('is for central only, and reached from the statistics page', async () => {
    for (const email of [DEMO_STAFF.admin, DEMO_STAFF.counsellor, DEMO_STAFF.leaderSodermalm]) {
      const other = await WebClient.loggedIn(app, database.db, email);
      expect((await other.get('/personal/statistik/chatt')).status).toBe(403);
      expect((await other.get('/personal/statistik.csv?figure=chatMonths')).status).toBe(403);
    }
    expect((await new WebClient(app).get('/personal/statistik/chatt')).status).toBe(303);
    const main = await (await central.get('/personal/statistik')).text();
    expect(main).toContain('<a href="/personal/statistik/chatt"');
    expect(main).toContain('id="chat"');
  });

  it('shows every chat figure as a chart with a data table and a CSV link', async () => {
    const html = await page();
    for (const id of CHAT_FIGURE_IDS) {
      expect(html).toContain(`id="figure-${id}"`);
      expect(html).toMatch(new RegExp(`<svg class="chart" role="img" aria-labelledby="chart-${id}-title chart-${id}-desc"`));
      expect(html).toContain(`<table class="table" data-figure="${id}">`);
      expect(html).toContain(`href="/personal/statistik.csv?figure=${id}&amp;from=2026-03-01&amp;to=2026-04-30"`);
    }
  });

  it('counts conversations per month and week as counted by hand', async () => {
    const html = await page();
    const months = table(html, 'chatMonths');
    // started (answered + abandoned), answered, abandoned, met the closed notice
    expect(months.get('2026-03')).toEqual(['9', '7', '2', '5']);
    expect(months.get('2026-04')).toEqual(['6', '4', '2', '0']);
    expect(months.get('total')).toEqual(['15', '11', '4', '5']);
    expect(await csv(`/personal/statistik.csv?figure=chatMonths&${PERIOD}`)).toEqual([
      ['Månad', 'Startade samtal', 'Besvarade', 'Lämnade kön', 'Möttes av stängt'],
      ['mars 2026', '9', '7', '2', '5'],
      ['april 2026', '6', '4', '2', '0'],
      ['Totalt', '15', '11', '4', '5'],
    ]);
    // 1 March is a Sunday (week 9), 30 April a Thursday (week 18): ten weeks, the empty ones as 0.
    const weeks = await csv(`/personal/statistik.csv?figure=chatWeeks&${PERIOD}`);
    expect(weeks.map((r) => r[0])).toEqual(['Vecka', ...[9, 10, 11, 12, 13, 14, 15, 16, 17, 18].map((w) => `v. ${w} 2026`), 'Totalt']);
    expect(weeks[2]).toEqual(['v. 10 2026', '7', '6', '1', '5']);
    expect(weeks[3]).toEqual(['v. 11 2026', '2', '1', '1', '0']);
    expect(weeks[4]).toEqual(['v. 12 2026', '0', '0', '0', '0']);
    expect(weeks[8]).toEqual(['v. 16 2026', '3', '3', '0', '0']);
    expect(weeks[11]).toEqual(['Totalt', '15', '11', '4', '5']);
  });

  it('shows when conversations start against the opening hours, holidays included', async () => {
    // Open hours in March–April 2026 (today's week: Mon–Wed 10–16, Thu 10–16 and 18–20, Fri 10–15):
    // nine Mondays less Easter Monday × 6 h, nine Tuesdays and Wednesdays × 6, eight Thursdays × 8
    // and Walpurgis Eve 10–13, eight Fridays × 5.
    expect(await csv(`/personal/statistik.csv?figure=chatWeekdays&${PERIOD}`)).toEqual([
      ['Veckodag', 'Startade samtal', 'Möttes av stängt', 'Öppet (timmar)'],
      ['Måndag', '9', '0', '48,00'],
      ['Tisdag', '2', '0', '54,00'],
      ['Onsdag', '3', '0', '54,00'],
      ['Torsdag', '1', '3', '67,00'],
      ['Fredag', '0', '0', '40,00'],
      ['Lördag', '0', '2', '0,00'],
      ['Söndag', '0', '0', '0,00'],
      ['Totalt', '15', '5', '263,00'],
    ]);
    const hours = table(await page(), 'chatHours');
    expect(hours.get('10')).toEqual(['6', '0', '43,0']);
    expect(hours.get('15')).toEqual(['3', '0', '34,0']);
    expect(hours.get('19')).toEqual(['1', '0', '8,0']);
    expect(hours.get('21')).toEqual(['0', '3', '0,0']);
    expect(hours.get('total')).toEqual(['15', '5', '263,0']);
    const hourCsv = await csv(`/personal/statistik.csv?figure=chatHours&${PERIOD}`);
    expect(hourCsv[11]).toEqual(['10–11 delvis öppet', '6', '0', '43,00']);
    expect(hourCsv[22]).toEqual(['21–22 stängt', '0', '3', '0,00']);
    // Only Mondays from 9 to 12: the closed Easter Monday makes 10–11 partly open.
    expect(await csv(`/personal/statistik.csv?figure=chatHours&${PERIOD}&weekday=mon&hourFrom=9&hourTo=12`)).toEqual([
      ['Timme', 'Startade samtal', 'Möttes av stängt', 'Öppet (timmar)'],
      ['09–10 stängt', '0', '0', '0,00'],
      ['10–11 delvis öppet', '6', '0', '8,00'],
      ['11–12 delvis öppet', '0', '0', '8,00'],
      ['Totalt', '6', '0', '16,00'],
    ]);
    // Only Tuesdays in March: every Tuesday open 10–16.
    const tuesdays = table(await page('from=2026-03-01&to=2026-03-31&weekday=tue&hourFrom=10&hourTo=12'), 'chatHours');
    expect([...tuesdays.keys()]).toEqual(['10', '11', 'total']);
    expect(tuesdays.get('11')).toEqual(['2', '0', '5,0']);
  });

  it('reads the median and 90th percentile of the wait off the counted rows, hiding months with fewer than five', async () => {
    // March: 10 20 30 30 40 60 300 → median 30 s, 90th percentile the 7th of 7 = 300 s.
    // All eleven: 10 20 30 30 40 50 50 50 60 70 300 → median 50 s, 90th the 10th = 70 s.
    expect(await csv(`/personal/statistik.csv?figure=chatWaiting&${PERIOD}`)).toEqual([
      ['Månad', 'Besvarade', 'Median (minuter)', '90:e percentilen (minuter)'],
      ['mars 2026', '7', '0,50', '5,00'],
      ['april 2026', 'För få samtal för att visas (färre än 5)', 'För få samtal för att visas (färre än 5)', 'För få samtal för att visas (färre än 5)'],
      ['Totalt', '11', '0,83', '1,17'],
    ]);
    const html = await page();
    expect(table(html, 'chatWaiting').get('total')).toEqual(['11', '0,8', '1,2']);
    expect(html).toMatch(/<tr data-row="2026-04">\s*<th scope="row">april 2026<\/th>\s*<td colspan="3" data-hidden>För få samtal för att visas \(färre än 5\)<\/td>/);
    const chart = html.slice(html.indexOf('id="chart-chatWaiting-title"'), html.indexOf('</svg>', html.indexOf('id="chart-chatWaiting-title"')));
    expect(chart).toContain('För få samtal</text>');
    // Mondays only: 20 30 30 50 50 50 60 (March 4 and April 3 each too few, together seven).
    expect((await csv(`/personal/statistik.csv?figure=chatWaiting&${PERIOD}&weekday=mon`))[3]).toEqual(['Totalt', '7', '0,83', '1,00']);
  });

  it('counts the visitors who left the queue unanswered', async () => {
    expect(await csv(`/personal/statistik.csv?figure=chatAbandoned&${PERIOD}`)).toEqual([
      ['Månad', 'Startade samtal', 'Lämnade kön', 'Andel som lämnade kön'],
      ['mars 2026', '9', '2', '22,2'],
      ['april 2026', '6', '2', '33,3'],
      ['Totalt', '15', '4', '26,7'],
    ]);
  });

  it('shows results, topics and ages with groups under five hidden', async () => {
    const hidden = 'För få samtal för att visas (färre än 5)';
    expect(await csv(`/personal/statistik.csv?figure=chatResults&${PERIOD}`)).toEqual([
      ['Resultat', 'Samtal', 'Andel av registrerade utfall'],
      ['Råd i chatten (tidig insats)', '5', '50,0'],
      ['Hänvisad till annan verksamhet', hidden, hidden],
      ['Bokat möte (tidig insats)', hidden, hidden],
      ['Gammalt resultat (borttaget val)', hidden, hidden],
      ['Totalt', '10', '100,0'],
    ]);
    const html = await page();
    const topics = table(html, 'chatTopics');
    // School's 2 is the only small group: family's 8 is hidden too, or 10 − 8 would tell school's.
    expect(topics.get(choice.school)).toEqual([hidden]);
    expect(topics.get(choice.family)).toEqual([hidden]);
    expect(topics.get(choice.money)).toEqual(['0', '0,0 %']);
    expect(topics.get('total')).toEqual(['10', '100,0 %']);
    expect(await csv(`/personal/statistik.csv?figure=chatAgeBands&${PERIOD}`)).toEqual([
      ['Ålder', 'Samtal', 'Andel av registrerade utfall'],
      ['13–15 år', '5', '50,0'],
      ['16–18 år', hidden, hidden],
      ['Ålder inte angiven', hidden, hidden],
      ['Totalt', '10', '100,0'],
    ]);
    // March alone: advice 5 of 7; a total of fewer than five hides every row (April: 3).
    expect((await csv('/personal/statistik.csv?figure=chatResults&from=2026-03-01&to=2026-03-31'))[1]).toEqual(['Råd i chatten (tidig insats)', '5', '71,4']);
    expect(await csv('/personal/statistik.csv?figure=chatTopics&from=2026-04-01&to=2026-04-30')).toEqual([
      ['Ämne', 'Samtal', 'Andel av registrerade utfall'],
      ['Familj och relationer', hidden, hidden],
      ['Skola', hidden, hidden],
      ['Ekonomi', hidden, hidden],
      ['Totalt', hidden, hidden],
    ]);
  });

  it('compares with the same period a year before, and says there is no baseline yet', async () => {
    expect(await csv(`/personal/statistik.csv?figure=chatGoals&${PERIOD}`)).toEqual([
      ['Mått', 'Perioden', 'Att jämföra med', 'Förändring'],
      // 15 against 5 a year before; the early efforts (advice and meetings: 5 + 3) against no baseline.
      ['Startade samtal', '15', '5', '200,0'],
      ['Tidiga råd- och stödinsatser', '8', '', ''],
    ]);
    const html = await page();
    expect(html).toContain('Under perioden startade 15 chattsamtal.');
    expect(html).toContain('Samma period året före startade 5 samtal. Förändringen är +200,0 %.');
    expect(html).toContain('11 samtal besvarades. 4 besökare lämnade kön innan någon hann svara, 26,7 % av dem som startade ett samtal.');
    expect(html).toContain('Hälften av dem som fick svar väntade högst 0,8 minuter. Nio av tio väntade högst 1,2 minuter.');
    expect(html).toContain('5 besökare kom när chatten var stängd');
    expect(html).toContain('Rådgivarna har registrerat utfall för 10 av de 11 besvarade samtalen.');
    expect(html).toContain('8 samtal registrerades som tidiga råd- och stödinsatser. Det finns ingen baslinje att jämföra med ännu');
    // The chat's first counted day is 1 February 2025: January–February 2025 has nothing before it.
    expect(await page('from=2025-01-01&to=2025-02-28')).toContain('Chatten fanns inte under hela samma period året före');
  });

  it("lets the admin set the baseline, and draws the early efforts against it and the goal", async () => {
    const settings = await admin.get('/personal/installningar');
    expect(await settings.text()).toContain('id="chat-baseline-heading"');
    for (const [baselineEfforts, baselineYear, field] of [
      ['tjugofyra', '2014', 'baselineEfforts'],
      ['0', '2014', 'baselineEfforts'],
      ['2000000', '', 'baselineEfforts'],
      ['24', 'x'.repeat(41), 'baselineYear'],
    ]) {
      const res = await admin.post('/personal/installningar/chattens-mal', { baselineEfforts, baselineYear });
      expect(res.status, baselineEfforts).toBe(422);
      const html = await res.text();
      expect(html).toContain(`id="f-${field}-error"`);
      expect(html).toContain('aria-invalid="true"');
    }
    expect(await loadChatBaseline(database.db)).toEqual({ earlySupportPerYear: null, yearLabel: '' });
    // Central may not set it.
    expect((await central.post('/personal/installningar/chattens-mal', { baselineEfforts: '24', baselineYear: '2014' })).status).toBe(403);

    const saved = await admin.post('/personal/installningar/chattens-mal', { baselineEfforts: ' 24 ', baselineYear: '2014' });
    expect(saved.status).toBe(303);
    expect(await loadChatBaseline(database.db)).toEqual({ earlySupportPerYear: 24, yearLabel: '2014' });
    expect(await (await admin.get('/personal/installningar?chattmal=1')).text()).toContain('value="24"');

    // 24 a year is 2 a month (goal 4). The period's 61 days: 24 × 61 / 365 = 4.01 (goal 8.02);
    // its 8 efforts are +99.5 %.
    expect(await csv(`/personal/statistik.csv?figure=chatTrend&${PERIOD}`)).toEqual([
      ['Månad', 'Tidiga insatser', 'Baslinje per månad', 'Mål per månad', 'Förändring mot baslinjen'],
      ['mars 2026', '6', '2,00', '4,00', '200,0'],
      ['april 2026', '2', '2,00', '4,00', '0,0'],
    ]);
    expect((await csv(`/personal/statistik.csv?figure=chatGoals&${PERIOD}`))[2]).toEqual(['Tidiga råd- och stödinsatser', '8', '4', '99,5']);
    const html = await page();
    expect(html).toContain('Baslinjen är 24 per år (2014). För periodens 61 dagar motsvarar det 4, och målet om en ökning med 100 % motsvarar 8. Jämfört med baslinjen är förändringen +99,5 %.');
    // The trend chart draws the baseline and the goal as lines in its legend.
    const chart = html.slice(html.indexOf('id="chart-chatTrend-title"'), html.indexOf('</svg>', html.indexOf('id="chart-chatTrend-title"')));
    expect(chart).toContain('Baslinje per månad</text>');
    expect(chart).toContain('Mål per månad</text>');
    expect(chart.match(/stroke-dasharray/g)?.length).toBe(4);
    // Only Mondays: the goals still count every weekday, and the page says so.
    const mondays = await page(`${PERIOD}&weekday=mon`);
    expect(mondays).toContain('Urvalet av veckodag och timmar gäller alla siffror utom jämförelsen med baslinjen');
    expect(table(mondays, 'chatGoals').get('earlySupport')).toEqual(['8', '4', '+99,5 %']);
    expect(table(mondays, 'chatGoals').get('conversations')).toEqual(['9', '4', '+125,0 %']);
  });

  it('says so when the filter holds no chat data', async () => {
    const html = await page('from=2024-01-01&to=2024-01-31');
    expect(html).toContain('Det finns inga chattsamtal i urvalet.');
    expect(html).not.toContain('data-figure="chatMonths"');
    expect(await csv('/personal/statistik.csv?figure=chatMonths&from=2024-01-01&to=2024-01-31')).toEqual([
      ['Månad', 'Startade samtal', 'Besvarade', 'Lämnade kön', 'Möttes av stängt'],
      ['Det finns inga chattsamtal i urvalet.'],
    ]);
  });

  it('answers a bad filter with the form and its messages, no figures, never a 500', async () => {
    const cases: [string, string][] = [
      ['from=2026-02-30', 'Skriv ett datum som finns, som ÅÅÅÅ-MM-DD.'],
      ['to=igår', 'Skriv ett datum som finns, som ÅÅÅÅ-MM-DD.'],
      ['from=1899-01-01&to=1899-02-01', 'Skriv ett datum som finns, som ÅÅÅÅ-MM-DD.'],
      ['weekday=funday', 'Välj en veckodag i listan.'],
      ['hourFrom=24', 'Välj en starttid i listan.'],
      ['hourTo=0', 'Välj en sluttid i listan.'],
      ['hourFrom=1.5', 'Välj en starttid i listan.'],
      ['hourFrom=0x10', 'Välj en starttid i listan.'],
      ['hourFrom=15&hourTo=10', 'Sluttiden måste vara senare än starttiden.'],
      ['from=2026-05-01&to=2026-04-01', 'Perioden måste sluta samma dag som den börjar eller senare.'],
      ['from=2020-01-01&to=2026-01-01', 'Välj en period på högst två år.'],
      ['from=%3Cscript%3E', 'Skriv ett datum som finns, som ÅÅÅÅ-MM-DD.'],
    ];
    for (const [query, message] of cases) {
      const res = await central.get(`/personal/statistik/chatt?${query}`);
      expect(res.status, query).toBe(400);
      const html = await res.text();
      expect(html, query).toContain(message);
      expect(html).toContain('Rätta urvalet ovan för att se statistiken.');
      expect(html).not.toContain('data-figure=');
      expect(html).not.toContain('<script>');
    }
    // Every wrong field at once.
    const both = await (await central.get('/personal/statistik/chatt?weekday=x&hourTo=99')).text();
    expect(both).toContain('Välj en veckodag i listan.');
    expect(both).toContain('Välj en sluttid i listan.');
    // The CSV of a bad filter sends to the page, which explains it.
    const res = await central.get('/personal/statistik.csv?figure=chatWeeks&weekday=x');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/personal/statistik/chatt?weekday=x');
  });

  it('shows the last twelve months by default', async () => {
    const html = await (await central.get('/personal/statistik/chatt')).text();
    expect(html).toMatch(/<input id="f-from" name="from" type="date" value="\d{4}-\d{2}-01"/);
    expect(html).toContain('Sammanfattning');
  });
});
