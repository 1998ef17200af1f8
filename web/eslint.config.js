// The lint of web/ (`npm run lint`, part of the web tests): TypeScript-aware, and the rules that keep
// text from the API out of HTML. Markup is never built from strings: no dangerouslySetInnerHTML,
// innerHTML, outerHTML, insertAdjacentHTML, document.write or srcdoc; charts are drawn only by
// src/components/ChartCanvas.tsx (views use Chart.tsx, which loads it), which passes every option
// through guardTooltips (src/app/text.ts).
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';

const html = 'Text from the API is data, never markup: render it as React text or textContent (docs/web.md "Names are text").';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/api/generated/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['src/**/*.{ts,tsx}', 'e2e/**/*.ts'],
    extends: [tseslint.configs.base],
    plugins: { react },
    settings: { react: { version: '19.3' } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'react/no-danger': 'error',
      'react/no-danger-with-children': 'error',
      'react/jsx-no-script-url': 'error',
      'react/jsx-no-target-blank': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'document', property: 'write', message: html },
        { object: 'document', property: 'writeln', message: html },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name=/^(innerHTML|outerHTML|insertAdjacentHTML|srcdoc)$/]", message: html },
        { selector: "MemberExpression[property.value=/^(innerHTML|outerHTML|insertAdjacentHTML|srcdoc)$/]", message: html },
        { selector: "JSXAttribute[name.name=/^(dangerouslySetInnerHTML|srcDoc)$/]", message: html },
        { selector: "Property[key.name='dangerouslySetInnerHTML']", message: html },
        { selector: "CallExpression[callee.property.name='createContextualFragment']", message: html },
        { selector: "NewExpression[callee.name='DOMParser']", message: html },
      ],
    },
  },
  {
    // Charts only through Chart.tsx, which draws them with ChartCanvas.tsx (its guard escapes what
    // tooltips show).
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/components/ChartCanvas.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['echarts', 'echarts/*', 'zrender', 'zrender/*'], message: 'Draw charts with src/components/Chart.tsx: it escapes what tooltips show.' }] },
      ],
    },
  },
);
