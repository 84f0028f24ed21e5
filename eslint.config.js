import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', '.sandbox/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='process'][callee.property.name='exit']", message: 'Only cli/ calls process.exit (DESIGN.md).' },
      ],
    },
  },
  { files: ['cli/**', 'bin/**', 'bench/**'], rules: { 'no-restricted-syntax': 'off' } },
  // The policy pack's entry is CommonJS: the Pulumi CLI require()s it (policies/main.cjs says why).
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
  {
    files: ['verify/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@pulumi/*'], message: 'verify must not import @pulumi/* (DESIGN.md).' }] }] },
  },
);
