import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` proxies the API to a local `keel serve` (KEEL_URL, default http://127.0.0.1:8080).
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': process.env.KEEL_URL ?? 'http://127.0.0.1:8080' } },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 900 },
  test: { environment: 'jsdom', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'] },
});
