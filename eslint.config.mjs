/**
 * `npm run lint` (part of `npm test`): typescript-eslint's recommended rules on all our code, and React's two rules of
 * hooks on the renderer. Not enabled: react-hooks 7's React Compiler rules (refs read during render, setState in an
 * effect): the app does not use the compiler, and the one pattern they flag, a ref that keeps the latest handler so a
 * listener is added once (use-shortcuts, use-presenter), is deliberate.
 */
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'reports/**', 'test-results/**', '.stryker-tmp/**', 'node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // a name that starts with _ is unused on purpose (a destructured part left out, a parameter a signature needs)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }
      ],
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
      // listener signatures of event emitters we type loosely (Electron's and the Lab's): `...args: any[]` only
      '@typescript-eslint/no-explicit-any': ['error', { ignoreRestArgs: true }]
    }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' }
  }
)
