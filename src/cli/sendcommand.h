#pragma once

#include <QStringList>

namespace Cli {

/// Runs `hookscope send` (the provider emulator); returns the exit code.
int runSend(const QStringList &arguments);

} // namespace Cli
