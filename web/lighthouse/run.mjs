// Lighthouse (mobile) on the web app as a user first meets it: `make lighthouse` (docs/web.md,
// "Lighthouse"). Builds a demo store with scripts/demo in a temporary directory, serves it and
// web/dist (built before: make lighthouse builds it) with `keel serve` on loopback, signs in as the
// demo user in Debian's Chromium, and audits the overview, a portfolio's dashboard and a ledger
// account with Lighthouse's mobile defaults (a Moto G Power's screen, 4x CPU slowdown, slow 4G
// simulated). Each page is audited RUNS times (3 unless given); the median of each figure is
// printed and written to web/test-results/lighthouse.txt, every report to
// web/test-results/lighthouse/. A benchmark: it reports the figures beside their goals and fails
// only when a page cannot be audited.
//
//   node run.mjs KEEL [RUNS]        KEEL: the keel binary; CHROMIUM overrides /usr/bin/chromium
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import puppeteer from 'puppeteer-core';
import { startFlow } from 'lighthouse';

const web = resolve(fileURLToPath(import.meta.url), '../..');
const root = resolve(web, '..');
const keel = process.argv[2] ? resolve(process.argv[2]) : '';
const runs = Number(process.argv[3] ?? 3);
if (!keel || !(runs >= 1)) {
  console.error('usage: node run.mjs KEEL [RUNS]');
  process.exit(2);
}

// The goals of issue-free use on a phone (docs/web.md): performance >= 90, layout shift < 0.1.
const GOALS = { performance: 90, cls: 0.1 };

const freePort = () =>
  new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'keel-lighthouse-'));
let server;
let browser;
try {
  // The demo store, as `make demo` makes it (its outputs go to the temporary directory).
  for (const dir of ['scripts', 'examples']) cpSync(join(root, dir), join(work, dir), { recursive: true });
  const db = join(work, 'keel.db');
  console.log('lighthouse: making the demo store (scripts/demo) ...');
  const demo = execFileSync(join(work, 'scripts', 'demo'), [keel], {
    cwd: work,
    env: { ...process.env, KEEL_DB: db },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const user = /demo user: (\S+) .*password: (\S+)/.exec(demo);
  if (!user) throw new Error('scripts/demo printed no demo user and password');
  const [, username, password] = user;

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(keel, ['--db', db, 'serve', '--port', String(port), '--web-root', join(web, 'dist')], {
    env: { ...process.env, KEEL_JWT_SECRET: randomBytes(32).toString('hex') },
    stdio: 'ignore',
  });
  for (let i = 0; ; ++i) {
    const up = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 200) throw new Error('keel serve did not answer within 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }

  // The pages: the first portfolio and the first ledger account of the demo, by the API.
  const login = await (await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })).json();
  const auth = { Authorization: `Bearer ${login.token}` };
  const portfolios = (await (await fetch(`${base}/api/v1/portfolios?limit=1`, { headers: auth })).json()).items;
  const accounts = (await (await fetch(`${base}/api/v1/accounts?limit=1`, { headers: auth })).json()).items;
  const pages = [
    ['overview', '/'],
    ...(portfolios.length ? [['dashboard', `/portfolios/${portfolios[0].id}`]] : []),
    ...(accounts.length ? [['ledger account', `/ledger/${encodeURIComponent(accounts[0].name)}`]] : []),
  ];

  browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  // Signed in through the form, as a user is: the sign-in is kept in the browser's storage.
  await page.goto(`${base}/signin`);
  await page.waitForSelector('input[type=password]');
  const inputs = await page.$$('input');
  await inputs[0].type(username);
  await page.type('input[type=password]', password);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=role]', { timeout: 30_000 });

  const out = join(web, 'test-results', 'lighthouse');
  mkdirSync(out, { recursive: true });
  const rows = [];
  for (const [name, path] of pages) {
    const got = { performance: [], fcp: [], lcp: [], tbt: [], cls: [], si: [] };
    for (let i = 0; i < runs; ++i) {
      const flow = await startFlow(page, { name, config: { extends: 'lighthouse:default', settings: { onlyCategories: ['performance'] } } });
      await flow.navigate(base + path);
      const lhr = (await flow.createFlowResult()).steps[0].lhr;
      if (lhr.runtimeError) throw new Error(`${name}: ${lhr.runtimeError.message}`);
      const a = lhr.audits;
      got.performance.push(Math.round(lhr.categories.performance.score * 100));
      got.fcp.push(a['first-contentful-paint'].numericValue);
      got.lcp.push(a['largest-contentful-paint'].numericValue);
      got.tbt.push(a['total-blocking-time'].numericValue);
      got.cls.push(a['cumulative-layout-shift'].numericValue);
      got.si.push(a['speed-index'].numericValue);
      writeFileSync(join(out, `${name.replace(/\W+/g, '-')}-${i + 1}.json`), JSON.stringify(lhr));
    }
    rows.push({ name, path, ...Object.fromEntries(Object.entries(got).map(([k, v]) => [k, median(v)])), scores: got.performance });
  }

  const lines = [
    `Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile, median of ${runs}; goals: performance >= ${GOALS.performance}, CLS < ${GOALS.cls}`,
    'page             performance  FCP s  LCP s  TBT ms  CLS    SI s   (each run)',
  ];
  const figures = [];
  for (const r of rows) {
    const ok = r.performance >= GOALS.performance && r.cls < GOALS.cls ? '' : '  below a goal';
    lines.push(
      `${r.name.padEnd(16)} ${String(r.performance).padStart(11)}  ${(r.fcp / 1000).toFixed(1).padStart(5)}  ${(r.lcp / 1000).toFixed(1).padStart(5)}  ` +
        `${Math.round(r.tbt).toString().padStart(6)}  ${r.cls.toFixed(3)}  ${(r.si / 1000).toFixed(1).padStart(4)}   (${r.scores.join(', ')})${ok}`,
    );
    const key = r.name.replace(/\W+/g, '_');
    figures.push(`lighthouse_${key}_performance ${r.performance}`, `lighthouse_${key}_cls ${r.cls.toFixed(3)}`,
      `lighthouse_${key}_lcp_ms ${Math.round(r.lcp)}`, `lighthouse_${key}_tbt_ms ${Math.round(r.tbt)}`);
  }
  console.log(lines.join('\n'));
  writeFileSync(join(web, 'test-results', 'lighthouse.txt'), `${lines.join('\n')}\n\n${figures.join('\n')}\n`);
} finally {
  await browser?.close();
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
