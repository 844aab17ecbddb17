#pragma once

namespace Cli {

/// True when argv names a headless subcommand (or --version / --help), so main() can skip the
/// GUI libraries entirely.
bool isHeadless(int argc, char **argv);

/// Runs a headless subcommand on a QCoreApplication and returns the process exit code
/// (0 success, 1 the work found a failure, 2 usage error or unreadable input).
int run(int argc, char **argv);

} // namespace Cli
