#pragma once

#include "verify/key.h"

#include <QStringList>

#include <expected>
#include <functional>

namespace Cli {

/// Builds the key set the command line asked for: every --jwks SOURCE (file or URL, loaded
/// once) and every --secret KEYID=SECRET. Per-key problems in a set go to warn(); a source that
/// cannot be loaded at all is an error.
std::expected<Verify::KeySet, QString> loadKeyArguments(const QStringList &sources, const QStringList &secrets,
                                                        bool allowHttp,
                                                        const std::function<void(const QString &)> &warn);

} // namespace Cli
