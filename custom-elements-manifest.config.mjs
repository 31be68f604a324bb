// Generates custom-elements.json from the components' JSDoc (@summary @fires @csspart @cssprop @slot).

/** Keeps the manifest to the public API: documented events only, and no module-private variables. */
function publicApiOnly() {
  return {
    name: 'cc-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        const exported = new Set((module.exports ?? []).map((entry) => entry.declaration?.name));
        module.declarations = (module.declarations ?? []).filter((declaration) => exported.has(declaration.name));
        for (const declaration of module.declarations) {
          // dispatchEvent(new SomeEvent()) is picked up without a name; the @fires tag documents it properly.
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name);
        }
      }
    },
  };
}

export default {
  globs: ['src/components/*/*.component.ts', 'src/components/*/!(*.styles|*.test|*.component).ts', 'src/events/*.ts'],
  // Helpers beside the components are internal, not elements.
  exclude: ['**/*.test.ts', '**/*.styles.ts', 'src/components/conversation/message-view.ts', 'src/components/conversation-list/urgency.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [publicApiOnly()],
};
