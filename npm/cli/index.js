'use strict';
// Finds the fastgen binary: FASTGEN_BINARY if set, else the one in the package of this
// platform (@fastgen/cli-<os>-<cpu>[-<libc>]), which npm installs as an optional
// dependency: of the Linux ones, only the package of this machine's C library installs.

/** The npm packages that may hold the binary for this platform, most likely first. */
function platformPackages() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    return [`@fastgen/cli-linux-${arch}-gnu`, `@fastgen/cli-linux-${arch}-musl`];
  }
  return [`@fastgen/cli-${platform}-${arch}`];
}

/** The path of the fastgen binary to run. */
function binaryPath() {
  if (process.env.FASTGEN_BINARY) {
    return process.env.FASTGEN_BINARY;
  }
  const executable = process.platform === 'win32' ? 'fastgen.exe' : 'fastgen';
  for (const name of platformPackages()) {
    try {
      return require.resolve(`${name}/${executable}`);
    } catch {
      // not installed here: try the next
    }
  }
  throw new Error(
    `fastgen has no binary for this platform: none of ${platformPackages().join(', ')} is installed. ` +
      'Reinstall without --no-optional (or --omit=optional), or set FASTGEN_BINARY to a fastgen binary.',
  );
}

module.exports = { binaryPath, platformPackages };
