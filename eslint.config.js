// Lint enforces the layer rules of DESIGN.md (1, 2 and 6) with no-restricted-imports per folder.
import tseslint from 'typescript-eslint';

const nodeIo = ['node:http', 'node:https', 'node:net', 'node:child_process', 'http', 'https', 'net', 'child_process'];
const restrict = (paths, patterns, message) => ({
  'no-restricted-imports': ['error', {
    paths: paths.map((name) => ({ name, message })),
    patterns: patterns.map((group) => ({ group: [group], message })),
  }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', '.berth/**', 'dist/**', 'app/dist/**', 'engine/.dist/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['engine/src/core/**/*.ts'],
    rules: restrict(nodeIo, ['**/api/**', '**/platform/**', '**/services/**'], 'core/ is pure: no I/O transports, no api/, platform/ or services/ (DESIGN.md rule 1)'),
  },
  {
    files: ['engine/src/services/**/*.ts', 'engine/src/platform/**/*.ts'],
    rules: restrict([], ['**/api/**'], 'Only engine/src/api knows Docker API shapes (DESIGN.md rule 2)'),
  },
  {
    files: ['app/src/common/**/*.ts', 'app/src/common/**/*.tsx'],
    rules: restrict([...nodeIo, 'electron'], ['node:*', '**/backend/**', '**/renderer/**', '**/main/**', '**/preload/**'], 'common/ imports nothing from Node, the DOM or Electron (DESIGN.md rule 6)'),
  },
  {
    files: ['app/src/renderer/**/*.ts', 'app/src/renderer/**/*.tsx'],
    rules: restrict([...nodeIo, 'electron'], ['node:*', '**/backend/**', '**/main/**', '**/preload/**'], 'renderer/ imports only common/ and browser libraries (DESIGN.md rule 6)'),
  },
  {
    files: ['app/src/preload/**/*.ts'],
    rules: restrict(nodeIo, ['node:*', '**/backend/**', '**/renderer/**', '**/main/**'], 'preload/ imports only electron and common/ (DESIGN.md rule 6)'),
  },
  {
    files: ['app/src/main/**/*.ts'],
    ignores: ['app/src/main/**/*.test.ts'],
    rules: restrict([], ['**/renderer/**', '**/preload/**'], 'main/ is Electron glue over backend/ and common/, never the renderer or preload (DESIGN.md rule 6)'),
  },
  {
    files: ['app/src/backend/**/*.ts'],
    rules: restrict(['electron'], ['**/renderer/**', '**/main/**', '**/preload/**'], 'backend/ is plain Node, no electron (DESIGN.md rule 6)'),
  },
);
