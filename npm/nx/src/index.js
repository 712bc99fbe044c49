'use strict';
// The generators of @fastgen/nx. Each runs fastgen in the workspace with the options of
// the Nx form as flags, asks it for its plan (`--dry-run --format json`: nothing is
// written), and writes that plan into Nx's tree, so `nx g --dry-run` and Nx Console's
// preview show exactly the files and Nx writes them. The installs run in the callback
// Nx calls after writing.

const { execFileSync, spawnSync } = require('node:child_process');
const { binaryPath } = require('@fastgen/cli');

/** fastgen's flags for the options of the Nx form (`computeType` becomes `--compute-type`). */
function flags(options) {
  const args = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === null || value === false || value === '') {
      continue;
    }
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    args.push(...(value === true ? [flag] : [flag, String(value)]));
  }
  return args;
}

/** A generator that applies fastgen's plan of `generator` to Nx's tree. */
function fastgenGenerator(generator) {
  return async function (tree, options) {
    const args = ['g', generator, ...flags(options), '--dry-run', '--format', 'json', '--no-interactive'];
    let output;
    try {
      output = execFileSync(binaryPath(), args, {
        cwd: tree.root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const message = String(error.stderr || error.message).trim().replace(/^error: /, '');
      throw new Error(message);
    }
    const plan = JSON.parse(output);
    for (const change of plan.changes) {
      const content = Buffer.from(change.content, change.encoding === 'base64' ? 'base64' : 'utf8');
      tree.write(change.path, content, change.mode === '0755' ? { mode: 0o755 } : undefined);
    }
    return () => {
      for (const install of plan.installs) {
        run(install, tree.root);
      }
    };
  };
}

/**
 * Runs one install of fastgen's plan in `cwd`, without a shell except on Windows (where
 * npm and pnpm are `.cmd` scripts); a missing program runs its fallback, or fails with
 * fastgen's hint.
 */
function run(install, cwd) {
  const [program, ...args] = install.argv;
  const windows = process.platform === 'win32';
  // Through a shell a missing program is an exit status, not ENOENT: `where` tells first.
  if (windows && spawnSync('where', [program], { stdio: 'ignore' }).status !== 0) {
    return fallBack(install, program, cwd);
  }
  const result = spawnSync(program, args, { cwd, stdio: 'inherit', shell: windows });
  if (result.error?.code === 'ENOENT') {
    return fallBack(install, program, cwd);
  }
  if (result.error) {
    throw result.error;
  }
  if (result.status !== 0) {
    throw new Error(`\`${install.command}\` failed (exit ${result.status ?? result.signal})`);
  }
}

/** Runs the fallback of an install whose program is missing, or fails with fastgen's hint. */
function fallBack(install, program, cwd) {
  if (install.fallback) {
    return run(install.fallback, cwd);
  }
  throw new Error(`${program} is not on PATH${install.hint ? `: ${install.hint}` : ''}`);
}

module.exports = {
  flags,
  fastApiGenerator: fastgenGenerator('py#fast-api'),
  apiGenerator: fastgenGenerator('py#api'),
  tsInfraGenerator: fastgenGenerator('ts#infra'),
};
