// Vite build of the console: React + Tailwind, /trpc proxied to the dev server, a manifest for the size bench.
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    proxy: { '/trpc': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // scripts/bench/web.ts reads the manifest to measure the initial JavaScript.
    manifest: true,
    sourcemap: false,
    target: 'es2022',
  },
});
