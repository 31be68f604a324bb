import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

const parts = ['workspace', 'conversation-list', 'conversation', 'customer-panel', 'ticket-pane', 'knowledge-search', 'agent-status', 'softphone'];

/**
 * The public modules. The library keeps the source's module structure (preserveModules), so each part's
 * registration stays in its own `components/<part>/<part>.js`, the files `sideEffects` names, and a host pays
 * only for what it imports.
 */
const libraryEntries = [
  resolve(root, 'src/index.ts'),
  resolve(root, 'src/define.ts'),
  resolve(root, 'src/testing/index.ts'),
  ...parts.map((part) => resolve(root, `src/components/${part}/${part}.ts`)),
];

/** Dependencies stay imports in the library build; the host's bundler dedupes them. */
const isDependency = (id: string): boolean => /^(lit|@lit|@lit-labs|rxjs|idb|dompurify|sip\.js)(\/|$)/.test(id);

export default defineConfig(({ mode }) => {
  if (mode === 'lib') {
    return {
      build: {
        outDir: 'dist',
        emptyOutDir: true,
        target: 'es2022',
        sourcemap: true,
        minify: false,
        lib: { entry: libraryEntries, formats: ['es'] },
        rolldownOptions: {
          external: isDependency,
          output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
        },
      },
    };
  }
  // The demo: a host CRM page with the desk embedded, served on localhost only.
  return {
    root: resolve(root, 'demo'),
    publicDir: resolve(root, 'demo/public'),
    server: {
      host: '127.0.0.1',
      port: Number(process.env.PORT ?? 5173),
      strictPort: true,
      fs: { allow: [root] },
    },
    preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 4173), strictPort: true },
    build: {
      outDir: resolve(root, 'dist/demo'),
      emptyOutDir: true,
      target: 'es2022',
      // strict.html: the same demo under a strict CSP with Trusted Types (demo/strict-server.mjs serves it).
      rolldownOptions: { input: { index: resolve(root, 'demo/index.html'), strict: resolve(root, 'demo/strict.html') } },
    },
  };
});
