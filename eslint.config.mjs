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
    // house rules: the lab runs in plain Node (the CLI, the browser mode, the tests); the crowd shares only wire types
    // and constants with the subject (src/shared), so its bundle carries none of the subject's code
    files: ['src/main/lab/**/*.{ts,js,mjs}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'src/main/lab never imports electron' }] }
      ]
    }
  },
  {
    files: ['src/main/lab/crowd/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/main/lab never imports electron' }],
          patterns: [
            {
              group: ['**/subject/*'],
              allowTypeImports: true,
              message: "the crowd takes the subject's wire constants from src/shared"
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' }
  }
)
