// Validates every Terraform module under src/: `terraform init -backend=false` and
// `terraform validate` in each folder that holds .tf files.
//
// Usage (from packages/common/terraform): node scripts/validate.mjs
//
// The modules share one data directory (TF_DATA_DIR, in the workspace's git-ignored tmp/),
// so providers are downloaded once; lock files that init creates are removed again.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import url from 'node:url';

const projectDir = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), '..');
const workspaceRoot = path.resolve(projectDir, '../../..');
const terraform = process.env.TERRAFORM ?? 'terraform';
const dataDir =
  process.env.TF_DATA_DIR ?? path.join(workspaceRoot, 'tmp', 'terraform', 'common-terraform');
mkdirSync(dataDir, { recursive: true });

function moduleDirs(dir) {
  const entries = readdirSync(dir, { withFileTypes: true });
  const found = entries.some((e) => e.isFile() && e.name.endsWith('.tf')) ? [dir] : [];
  for (const entry of entries) {
    if (entry.isDirectory() && !entry.name.startsWith('.')) {
      found.push(...moduleDirs(path.join(dir, entry.name)));
    }
  }
  return found;
}

const modules = moduleDirs(path.join(projectDir, 'src')).sort();
if (modules.length === 0) {
  console.error('No Terraform modules under src/');
  process.exit(1);
}

let failed = 0;
for (const dir of modules) {
  const name = path.relative(projectDir, dir);
  const lockFile = path.join(dir, '.terraform.lock.hcl');
  const hadLockFile = existsSync(lockFile);
  console.log(`\n> ${name}`);
  try {
    const run = (...args) =>
      execFileSync(terraform, [`-chdir=${dir}`, ...args], {
        stdio: 'inherit',
        env: { ...process.env, TF_DATA_DIR: dataDir, TF_IN_AUTOMATION: '1' },
      });
    run('init', '-backend=false', '-input=false');
    run('validate');
  } catch {
    failed += 1;
  } finally {
    if (!hadLockFile) {
      rmSync(lockFile, { force: true });
    }
  }
}

if (failed > 0) {
  console.error(`\n${failed} of ${modules.length} modules failed validation`);
  process.exit(1);
}
console.log(`\nAll ${modules.length} modules are valid`);
