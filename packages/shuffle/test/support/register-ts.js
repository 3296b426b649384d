// Lets a child process forked by a test run this repository's TypeScript sources directly, as jest does:
// `.ts` files are transpiled on require (TypeScript's transpileModule, CommonJS, no type check — tsc
// checks in `npm run typecheck`), and `@sluice/channel` / `@sluice/shuffle` resolve to `src/`, not to a
// possibly stale or missing `dist/`. Use: fork(file.ts, args, { execArgv: ['-r', require.resolve('./register-ts.js')] }).
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const packages = path.resolve(__dirname, '../../..');
const aliases = {
  '@sluice/channel': path.join(packages, 'channel/src/index.ts'),
  '@sluice/channel/testing': path.join(packages, 'channel/src/testing/index.ts'),
  '@sluice/shuffle': path.join(packages, 'shuffle/src/index.ts'),
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (Object.prototype.hasOwnProperty.call(aliases, request)) return aliases[request];
  return resolve.call(this, request, parent, ...rest);
};

const options = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  useDefineForClassFields: true,
  sourceMap: false,
  inlineSourceMap: true,
};
Module._extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: filename });
  module._compile(outputText, filename);
};
