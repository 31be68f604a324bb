// Generates custom-elements.json from the components' JSDoc (@summary @fires @csspart @cssprop @slot).

/**
 * Keeps the manifest to the public API, in a stable order: documented events only, no module-private
 * variables, no private or internal-state members (they are not API, and listing them would make every
 * refactor look like an API change), and modules sorted by path.
 */
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
          if (declaration.members) {
            declaration.members = declaration.members.filter((member) => member.privacy !== 'private' && member.privacy !== 'protected');
          }
          if (declaration.attributes) {
            const publicFields = new Set((declaration.members ?? []).map((member) => member.name));
            declaration.attributes = declaration.attributes.filter((attribute) => !attribute.fieldName || publicFields.has(attribute.fieldName));
          }
        }
      }
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
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
