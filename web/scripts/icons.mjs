// Renders the app's PNG icons from public/icon.svg with Debian's Chromium (headless screenshots; no
// npm package): `node scripts/icons.mjs` after changing the SVG, then commit the PNGs. CHROMIUM_PATH
// names the browser (default /usr/bin/chromium).
//   icon-192.png, icon-512.png   the SVG as drawn (rounded corners, transparent outside them)
//   icon-maskable-512.png        full bleed: the SVG at 80 % on its blue, so the mark stays inside
//                                the maskable safe zone (the centre circle of 40 % radius)
//   apple-touch-icon.png         180 px, full bleed like the maskable one (iOS rounds it itself)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pub = resolve(fileURLToPath(import.meta.url), '../../public');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const svg = pathToFileURL(join(pub, 'icon.svg')).href;
const blue = /<rect width="512" height="512" rx="\d+" fill="(#[0-9a-f]{6})"/.exec(readFileSync(join(pub, 'icon.svg'), 'utf8'))?.[1];
if (!blue) throw new Error('public/icon.svg: no background rect to take the colour of the full-bleed icons from');

const icons = [
  { file: 'icon-192.png', size: 192, bleed: false },
  { file: 'icon-512.png', size: 512, bleed: false },
  { file: 'icon-maskable-512.png', size: 512, bleed: true },
  { file: 'apple-touch-icon.png', size: 180, bleed: true },
];

const dir = mkdtempSync(join(tmpdir(), 'keel-icons-'));
try {
  for (const { file, size, bleed } of icons) {
    const img = bleed
      ? `<img src="${svg}" style="position:absolute;left:10%;top:10%;width:80%;height:80%">`
      : `<img src="${svg}" style="position:absolute;left:0;top:0;width:100%;height:100%">`;
    const page = join(dir, `${file}.html`);
    writeFileSync(page, `<!doctype html><html><body style="margin:0;width:${size}px;height:${size}px;position:relative;background:${bleed ? blue : 'transparent'}">${img}</body></html>`);
    const out = join(pub, file);
    execFileSync(chromium, [
      '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1',
      '--default-background-color=00000000', `--window-size=${size},${size}`, `--user-data-dir=${join(dir, 'profile')}`,
      `--screenshot=${out}`, pathToFileURL(page).href,
    ], { stdio: ['ignore', 'ignore', 'ignore'], timeout: 60_000 });
    // The PNG's IHDR: width and height at bytes 16 and 20.
    const png = readFileSync(out);
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    if (png.toString('latin1', 1, 4) !== 'PNG' || w !== size || h !== size) throw new Error(`${file}: ${w}×${h}, not ${size}×${size}`);
    console.log(`${file} ${size}×${size} ${png.length} bytes`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
