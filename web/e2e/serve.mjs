// The e2e server: a temporary store seeded from examples/ (prices, sectors, FF5 factors, the UST
// curve, the ALM example's curve as 'ust-2020', the three example portfolios, and 'big' with 5,000 positions), an analyst, a viewer, a manager and an admin (and a
// manager of tenant globex, one of each of the overview's tenants acme and fresh, and pwchanger for the
// password change), then `keel serve` on
// 127.0.0.1:$KEEL_E2E_PORT with web/dist. Its market-data provider is a loopback Yahoo
// (fake-yahoo.mjs, on $KEEL_E2E_PORT + 2) that prices the made-up tickers KLQA and KLQB up to the
// examples' last date and answers 404 for every other symbol; the store holds their closes to
// 2017-11-30 and 2017-11-10 (stale by then), so a price refresh has sessions to fetch. Single sign-on
// goes through a loopback OpenID Connect provider, "Bank SSO" (fake-oidc.mjs, on $KEEL_E2E_PORT + 3;
// its groups risk-analysts and alm-managers map to analyst and manager), and webhooks may post to
// the loopback receiver e2e/webhooks.spec.ts starts on $KEEL_E2E_PORT + 4 (the one host allowed).
// The store is removed when the server stops.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeLlm } from './fake-llm.mjs';
import { historyCsv, startFakeYahoo } from './fake-yahoo.mjs';
import { startFakeOidc } from './fake-oidc.mjs';

const web = resolve(fileURLToPath(import.meta.url), '../..');
const repo = resolve(web, '..');
const keel = resolve(web, process.env.KEEL_BIN ?? '../build/apps/keel/keel');
const dir = mkdtempSync(join(tmpdir(), 'keel-e2e-'));
const db = join(dir, 'keel.db');
const k = (args, input) => execFileSync(keel, ['--db', db, '--quiet', ...args], { input, stdio: ['pipe', 'ignore', 'inherit'] });
const ex = join(repo, 'examples');
k(['import', 'prices', join(ex, 'market/prices.csv')]);
// The fake vendor's tickers, short of its last session (e2e/investor-day.spec.ts refreshes them).
const klq = join(dir, 'klq.csv');
writeFileSync(klq, historyCsv('2017-11-01', '2017-11-30', ['KLQA']) + historyCsv('2017-10-02', '2017-11-10', ['KLQB']).replace(/^.*\n/, ''));
k(['import', 'prices', klq]);
k(['import', 'sectors', join(ex, 'market/sectors.csv')]);
k(['import', 'factors', join(ex, 'market/ff5_daily_2012_2017.csv'), '--factor-units', 'percent']);
k(['import', 'curve', join(ex, 'market/ust_par_yields_2012_2017.csv'), '--date', '2017-12-06', '--name', 'ust']);
// The ALM example's Treasury curve, stored: the IRRBB view may pick it instead of uploading it.
k(['import', 'curve', join(ex, 'alm/ust_par_2020-12-31.csv'), '--name', 'ust-2020', '--curve-type', 'par', '--rate-units', 'percent', '--date', '2020-12-31']);
for (const p of ['balanced', 'hnw', 'longshort']) k(['import', 'positions', join(ex, `portfolios/${p}.csv`), '--portfolio', p]);
// 5,000 positions (the nine priced stocks of the examples, in turn) for the table's scrolling.
const syms = ['AAPL', 'MSFT', 'AMZN', 'GOOGL', 'JPM', 'BA', 'WMT', 'COST', 'NVDA'];
const big = join(dir, 'big.csv');
writeFileSync(big, 'symbol,quantity\n' + Array.from({ length: 5000 }, (_, i) => `${syms[i % 9]},${i + 1}`).join('\n') + '\n');
k(['import', 'positions', big, '--portfolio', 'big']);
for (const [user, role] of [['analyst', 'analyst'], ['viewer', 'viewer'], ['manager', 'manager'], ['admin', 'admin']]) {
  k(['user', 'add', user, '--role', role, '--tenant', 'default', '--password-stdin'], `${user} password e2e\n`);
}
// A manager of another tenant (administration: a manager sees its own tenant's users only).
k(['user', 'add', 'globexmgr', '--role', 'manager', '--tenant', 'globex', '--password-stdin'], 'globexmgr password e2e\n');
// The overview's tenants: acme, which overview.spec.ts fills through the API (portfolios in USD and
// EUR, batch snapshots, a ledger account), and fresh, which stays empty.
k(['user', 'add', 'acme', '--role', 'manager', '--tenant', 'acme', '--password-stdin'], 'acme password e2e\n');
k(['user', 'add', 'newcomer', '--role', 'manager', '--tenant', 'fresh', '--password-stdin'], 'newcomer password e2e\n');
// The user whose password e2e/password.spec.ts changes (no other spec signs in as it).
k(['user', 'add', 'pwchanger', '--role', 'analyst', '--tenant', 'default', '--password-stdin'], 'pwchanger password e2e\n');
// The assistant's provider: a loopback model (fake-llm.mjs), the tenant's (every user uses it).
// keel serve reaches a loopback address only when the tenant's policy lists the host.
const llmPort = Number(process.env.KEEL_E2E_PORT ?? '18930') + 1;
const llm = await startFakeLlm(llmPort);
k(['assistant', 'provider', 'add', 'fake', '--base-url', `http://127.0.0.1:${llmPort}/v1`, '--model', 'fake-gpt', '--input-cost', '3', '--output-cost', '15']);
k(['assistant', 'policy', 'set', '--allow-host', `127.0.0.1:${llmPort}`]);
// The market-data provider: `POST /api/v1/prices/fetch` and the batch's market-data step ask the
// loopback Yahoo, the one host the server may then reach for market data; its answers are cached
// in the temporary folder, not the user's.
const yahooPort = Number(process.env.KEEL_E2E_PORT ?? '18930') + 2;
const yahoo = await startFakeYahoo(yahooPort);
// Single sign-on: the provider on loopback (keel trusts the issuer the operator configures and
// fetches its discovery document, keys and tokens from it directly) and keel's settings for it
// (docs/security.md, "Single sign-on"). The client secret has characters that client_secret_basic
// form-encodes.
const port = Number(process.env.KEEL_E2E_PORT ?? '18930');
const oidcPort = port + 3;
const clientSecret = 'e2e client secret: with/odd+chars%';
const oidc = await startFakeOidc(oidcPort, {
  clientId: 'keel-e2e', clientSecret, redirectUri: `http://127.0.0.1:${port}/sign-in/oidc`,
  postLogoutRedirectUri: `http://127.0.0.1:${port}/signin`,
});
const oidcConfig = join(dir, 'oidc.json');
writeFileSync(oidcConfig, JSON.stringify({
  issuer: `http://127.0.0.1:${oidcPort}`,
  client_id: 'keel-e2e',
  client_secret_env: 'KEEL_OIDC_CLIENT_SECRET',
  redirect_uri: `http://127.0.0.1:${port}/sign-in/oidc`,
  post_logout_redirect_uri: `http://127.0.0.1:${port}/signin`,
  display_name: 'Bank SSO',
  roles_claim: 'groups',
  role_map: { 'risk-analysts': 'analyst', 'alm-managers': 'manager' },
  default_tenant: 'default',
}));
// Webhooks: the receiver e2e/webhooks.spec.ts listens with (http on loopback, so allowed by name).
const hookPort = port + 4;
const srv = spawn(
  keel,
  // Every spec signs in from this one address, well past the 60 anonymous requests a minute that a
  // server allows one client (sign-ins, the SSO callback): that limit is off here, as the per-user one.
  ['--db', db, 'serve', '--host', '127.0.0.1', '--port', String(port), '--web-root', join(web, 'dist'), '--rate-limit', '0',
    '--anonymous-rate-limit', '0', '--no-log',
    '--oidc-config', oidcConfig, '--webhook-allow-host', `127.0.0.1:${hookPort}`],
  { stdio: 'inherit', env: {
    ...process.env,
    KEEL_OIDC_CLIENT_SECRET: clientSecret,
    KEEL_JWT_SECRET: 'e2e-signing-key-of-at-least-32-bytes-long',
    KEEL_MARKET_DATA_PROVIDER: 'yahoo',
    KEEL_MARKET_DATA_BASE_URL: `http://127.0.0.1:${yahooPort}`,
    // The ECB's reference rates (POST /api/v1/fx/fetch) from the same loopback vendor.
    KEEL_MARKET_DATA_BASE_URL_ECB: `http://127.0.0.1:${yahooPort}`,
    KEEL_CACHE_DIR: join(dir, 'cache'),
  } },
);
const stop = () => srv.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
srv.on('exit', (code) => {
  llm.close();
  yahoo.close();
  oidc.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
