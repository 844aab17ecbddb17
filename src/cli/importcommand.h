#pragma once

#include <QStringList>

namespace Cli {

/// Runs `hookscope import`; returns the exit code.
int runImport(const QStringList &arguments);

} // namespace Cli
