#pragma once

#include <QStringList>

namespace Cli {

/// Runs `hookscope export`; returns the exit code.
int runExport(const QStringList &arguments);

} // namespace Cli
