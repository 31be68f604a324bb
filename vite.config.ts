import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

/** One entry per public module, so each part is its own chunk and a host pays only for what it imports. */
const libraryEntries = {
  index: resolve(root, 'src/index.ts'),
  define: resolve(root, 'src/define.ts'),
  testing: resolve(root, 'src/testing/index.ts'),
  'components/workspace': resolve(root, 'src/components/workspace/workspace.ts'),
  'components/conversation-list': resolve(root, 'src/components/conversation-list/conversation-list.ts'),
  'components/conversation': resolve(root, 'src/components/conversation/conversation.ts'),
};

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
          output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
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
    build: { outDir: resolve(root, 'dist/demo'), emptyOutDir: true, target: 'es2022' },
  };
});
