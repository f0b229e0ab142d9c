/**
 * The layering of src/, checked in CI (`npm run deps:check`). docs/DEVELOPING.md explains the
 * layers; these rules are the part of it a machine can hold.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'platform-is-the-ground-floor',
      comment:
        'src/platform is what every capability builds on: it imports nothing of theirs, nor the ' +
        'composition root (src/app), nor migrations. Give it an interface that the composition root ' +
        'fills in instead (see src/platform/viewer.ts, src/platform/http/document-gate.ts).',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { pathNot: ['^src/platform/', 'node_modules', '^node:'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'notifications-depend-on-nothing-above',
      comment:
        'Notifications are a service the capabilities use (notify, reminders that register with the ' +
        'scheduler); besides the platform they know only who receives them: users, their roles and ' +
        'their organisation. A capability that wants a notification imports notifications, never the reverse.',
      severity: 'error',
      from: { path: '^src/notifications/' },
      to: {
        pathNot: [
          '^src/notifications/',
          '^src/platform/',
          '^src/users/user[.](entity|service)[.]ts$',
          '^src/auth/roles[.]ts$',
          '^src/organisations/organisation[.]entity[.]ts$',
          'node_modules',
          '^node:',
        ],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycle in src/, type-only imports included: a cycle is a layer that is not one.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'only-the-composition-root-imports-the-composition-root',
      comment: 'src/app assembles the service; nothing below it may depend on the assembly.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/app/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing package.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too: a platform file that imports a capability's type
    // is as coupled to it as one that imports its code.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
