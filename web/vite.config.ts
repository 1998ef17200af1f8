import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { swSource } from './src/sw/worker.ts';

// After `vite build` has written dist/ (the bundle and public/), writes dist/sw.js: the service
// worker with the list of every file of the build (the app shell it caches) and a version hashed
// from their names and contents (src/sw/worker.ts). Then index.html's time is renewed: keel serve
// reads its list of the web root's files again when index.html changes, so a server already
// running sees sw.js too.
function keelServiceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'keel-service-worker',
    apply: 'build',
    configResolved(c) {
      outDir = resolve(c.root, c.build.outDir);
    },
    writeBundle: {
      sequential: true,
      order: 'post',
      handler() {
        const walk = (dir: string): string[] =>
          readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
        const files = walk(outDir)
          .map((f) => relative(outDir, f).split('\\').join('/'))
          .filter((f) => f !== 'sw.js')
          .sort();
        const hash = createHash('sha256');
        for (const f of files) hash.update(f).update('\0').update(readFileSync(join(outDir, f))).update('\0');
        writeFileSync(join(outDir, 'sw.js'), swSource({ version: hash.digest('hex').slice(0, 16), files: files.map((f) => '/' + f) }));
        const now = new Date();
        utimesSync(join(outDir, 'index.html'), now, now);
      },
    },
  };
}

// `npm run dev` proxies the API to a local `keel serve` (KEEL_URL, default http://127.0.0.1:8080).
// The service worker exists in builds only (main.tsx registers it in production builds).
export default defineConfig({
  plugins: [react(), keelServiceWorker()],
  server: { proxy: { '/api': process.env.KEEL_URL ?? 'http://127.0.0.1:8080' } },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 900 },
  test: { environment: 'node', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'] },
});
