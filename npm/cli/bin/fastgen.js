#!/usr/bin/env node
'use strict';
// Runs the fastgen binary of this platform with the same arguments and exit code.

const { spawnSync } = require('node:child_process');
const { binaryPath } = require('../index.js');

let binary;
try {
  binary = binaryPath();
} catch (error) {
  console.error(`error: ${error.message}`);
  process.exit(1);
}
const result = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
if (result.error) {
  console.error(`error: cannot run ${binary}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
