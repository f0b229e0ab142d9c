// @ts-check
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'coverage/', '.hubnet-data/', 'schema/', 'test/generated/', 'examples/typed-client/graphql.ts'],
  },
  {
    // A disable comment that no longer silences anything fails the run, so exceptions do not outlive their reason.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  comments.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Every exception to a rule says why it is one.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
      // Rows read with sql() are untyped until each query declares its row type (sql<Row>(...)); until every
      // query does, these would flag each use of such a row rather than a mistake. no-explicit-any still
      // keeps new untyped code from being written by hand.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Apollo plugins, MikroORM migrations and close() methods implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      // The enums are string enums whose values are the strings stored in the database and sent over GraphQL;
      // a comparison with the literal compares the same value, and rows read with sql() carry the literal.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    // A function is short enough to read in one go; a longer one is split into named steps. SQL in a
    // function's template literals counts too: a long statement is a module-level constant, or is put
    // together from named parts (src/matching/matching.sql.ts).
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // A test reads GraphQL responses as plain JSON (t.gql's data) and pokes at their shape; typing each
    // response would repeat the schema in every test. Operations that need types use t.op with the
    // generated documents (test/generated), which are typed.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The reminder providers still read untyped rows and say so with `any`: allowed here only, until they are typed.
    files: ['src/notifications/providers/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
  },
);
