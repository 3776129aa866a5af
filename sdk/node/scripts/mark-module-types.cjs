// Each build says what it is: dist/esm holds ES modules, dist/cjs CommonJS (the package itself sets no "type").
const fs = require('node:fs');
const path = require('node:path');
for (const [dir, type] of [['esm', 'module'], ['cjs', 'commonjs']]) {
  fs.writeFileSync(path.join(__dirname, '..', 'dist', dir, 'package.json'), JSON.stringify({ type }) + '\n');
}
