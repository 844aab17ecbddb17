#include "cli/keyarguments.h"

#include "verify/keysource.h"

namespace Cli {

std::expected<Verify::KeySet, QString> loadKeyArguments(const QStringList &sources, const QStringList &secrets,
                                                        bool allowHttp,
                                                        const std::function<void(const QString &)> &warn)
{
    Verify::KeySet keys;
    Verify::KeySourceOptions options;
    options.allowHttp = allowHttp;
    for (const QString &source : sources) {
        auto loaded = Verify::loadKeySourceWithSnapshot(source, options);
        if (!loaded)
            return std::unexpected(QStringLiteral("cannot load keys from %1: %2").arg(source, loaded.error()));
        for (const QString &error : std::as_const(loaded->errors))
            warn(source + QStringLiteral(": ") + error);
        keys.merge(loaded->keys);
    }
    for (const QString &secret : secrets) {
        auto key = Verify::keyFromInlineSecret(secret);
        if (!key)
            return std::unexpected(QStringLiteral("--secret: %1").arg(key.error()));
        keys.add(*key);
    }
    return keys;
}

} // namespace Cli
