'use strict';
// Stages fastgen's npm packages for `npm pack` (scripts/package.sh runs it):
//   node npm/stage.js <version> <fastgen binary> <out dir> [platform, e.g. linux-arm64-gnu]
// @fastgen/cli with every platform package pinned as an optional dependency, the
// platform package of this machine holding the binary, and @fastgen/nx with the schemas of
// its generators made from `fastgen list --json`, so that they cannot drift from fastgen.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PLATFORMS = [
  { name: 'linux-x64-gnu', os: 'linux', cpu: 'x64', libc: 'glibc' },
  { name: 'linux-arm64-gnu', os: 'linux', cpu: 'arm64', libc: 'glibc' },
  { name: 'linux-x64-musl', os: 'linux', cpu: 'x64', libc: 'musl' },
  { name: 'linux-arm64-musl', os: 'linux', cpu: 'arm64', libc: 'musl' },
  { name: 'darwin-x64', os: 'darwin', cpu: 'x64' },
  { name: 'darwin-arm64', os: 'darwin', cpu: 'arm64' },
  { name: 'win32-x64', os: 'win32', cpu: 'x64' },
];
// The options every form shows first (Nx Console's x-priority).
const IMPORTANT = new Set(['name', 'framework', 'computeType', 'auth', 'iacProvider']);

const [version, binary, out, target] = process.argv.slice(2);
const here = __dirname;

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function copy(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

/** The Nx schema of one generator from fastgen's JSON Schema of its options. */
function nxSchema(id, schema) {
  const properties = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    // No defaults: Nx would pass each as a flag, and fastgen resolves some itself (the IaC
    // provider from nx.json, --infra against --compute-type). The form names them.
    const { default: fallback, ...rest } = property;
    properties[key] = rest;
    if (fallback !== undefined && fallback !== false) {
      properties[key].description = `${rest.description} (default: ${fallback})`;
    }
    if (IMPORTANT.has(key)) {
      properties[key]['x-priority'] = 'important';
    }
  }
  if (properties.name) {
    properties.name.$default = { $source: 'argv', index: 0 };
    properties.name['x-prompt'] = 'What name would you like to use?';
  }
  properties.skipInstall = {
    type: 'boolean',
    description: 'Write the files but install nothing (no uv sync, no package manager install)',
  };
  return {
    $schema: 'https://json-schema.org/schema',
    $id: id,
    title: schema.title,
    description: schema.description,
    type: 'object',
    properties,
    required: schema.required,
  };
}

// @fastgen/cli
const cli = path.join(out, 'cli');
copy(path.join(here, 'cli'), cli);
const cliJson = JSON.parse(fs.readFileSync(path.join(cli, 'package.json'), 'utf8'));
cliJson.version = version;
cliJson.optionalDependencies = Object.fromEntries(
  PLATFORMS.map((p) => [`@fastgen/cli-${p.name}`, version]),
);
writeJson(path.join(cli, 'package.json'), cliJson);

// The platform package of the binary: this machine's unless `target` names another
// (the release workflow cross-compiles).
const glibc = process.report?.getReport()?.header?.glibcVersionRuntime;
const libc = process.platform === 'linux' ? (glibc ? '-gnu' : '-musl') : '';
const wanted = `@fastgen/cli-${target ?? `${process.platform}-${process.arch}${libc}`}`;
const host = PLATFORMS.find((p) => `@fastgen/cli-${p.name}` === wanted);
if (!host) {
  throw new Error(`no platform package ${wanted}`);
}
const platform = path.join(out, `cli-${host.name}`);
fs.mkdirSync(platform, { recursive: true });
const executable = host.os === 'win32' ? 'fastgen.exe' : 'fastgen';
fs.copyFileSync(binary, path.join(platform, executable));
fs.chmodSync(path.join(platform, executable), 0o755);
writeJson(path.join(platform, 'package.json'), {
  name: `@fastgen/cli-${host.name}`,
  version,
  description: `The fastgen binary for ${host.name}.`,
  license: 'Apache-2.0',
  os: [host.os],
  cpu: [host.cpu],
  ...(host.libc ? { libc: [host.libc] } : {}),
  files: [executable],
  preferUnplugged: true,
});

// @fastgen/nx
const nx = path.join(out, 'nx');
copy(path.join(here, 'nx'), nx);
const nxJson = JSON.parse(fs.readFileSync(path.join(nx, 'package.json'), 'utf8'));
nxJson.version = version;
nxJson.dependencies = { '@fastgen/cli': version };
writeJson(path.join(nx, 'package.json'), nxJson);
const schemas = JSON.parse(execFileSync(binary, ['list', '--json'], { encoding: 'utf8' }));
const factories = {
  'py#api': 'apiGenerator',
  'py#fast-api': 'fastApiGenerator',
  'ts#infra': 'tsInfraGenerator',
};
const generators = {};
for (const [name, factory] of Object.entries(factories)) {
  const file = `./schemas/${name.replace('#', '-')}.json`;
  writeJson(path.join(nx, file), nxSchema(name, schemas[name]));
  generators[name] = {
    factory: `./src/index.js#${factory}`,
    schema: file,
    description: schemas[name].description,
  };
}
writeJson(path.join(nx, 'generators.json'), { generators });
