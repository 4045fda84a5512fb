// Lint: typescript-eslint recommended rules plus servesim's determinism rule.
// Simulation code must never read a wall clock or global randomness (DESIGN.md rule 1);
// only the CLI and the progress/benchmark code may.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const determinism = {
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use a named random substream (core/random.ts): determinism rule.' },
    { object: 'Date', property: 'now', message: 'Simulation code never reads the wall clock: use sim.now.' },
    { object: 'performance', property: 'now', message: 'Simulation code never reads the wall clock: use sim.now.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Simulation code never reads the wall clock.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      ...determinism,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Wall clock allowed: CLI, progress bars, benchmark timing, live backends, tests.
    files: ['src/cli/**', 'src/experiment/progress.ts', 'src/experiment/wallclock.ts', 'src/backend/real-clock.ts', 'test/**', 'bin/**'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
