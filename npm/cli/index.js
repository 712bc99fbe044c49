'use strict';
// Finds the fastgen binary: FASTGEN_BINARY if set, else the one in the package of this
// platform (@fastgen/cli-<os>-<cpu>[-<libc>]), which npm installs as an optional dependency.

const path = require('node:path');

/** The npm package that holds the binary for this platform. */
function platformPackage() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    // glibc's version is in the process report; musl has none.
    const glibc = process.report?.getReport()?.header?.glibcVersionRuntime;
    return `@fastgen/cli-linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
  }
  return `@fastgen/cli-${platform}-${arch}`;
}

/** The path of the fastgen binary to run. */
function binaryPath() {
  if (process.env.FASTGEN_BINARY) {
    return process.env.FASTGEN_BINARY;
  }
  const name = platformPackage();
  const executable = process.platform === 'win32' ? 'fastgen.exe' : 'fastgen';
  try {
    return require.resolve(`${name}/${executable}`);
  } catch {
    throw new Error(
      `fastgen has no binary for this platform: ${name} is not installed. ` +
        'Reinstall without --no-optional, or set FASTGEN_BINARY to a fastgen binary.',
    );
  }
}

module.exports = { binaryPath, platformPackage, packageDir: path.join(__dirname) };
