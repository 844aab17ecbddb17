#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <expected>

namespace Capture {

/// A capture a key verified (one row of "which captures did this key verify").
struct KeyUsage
{
    qint64 id = 0;
    qint64 receivedAtMs = 0;
    QByteArray method;
    QByteArray target;
    QString endpoint;
};

// Captures whose stored verdict JSON (contract: signature / signatures[]) has a verified
// signature with this keyId, or whose key report has this thumbprint (when not empty). Newest
// first, at most limit. Reads the store file on its own short-lived read connection.
std::expected<QList<KeyUsage>, QString> capturesVerifiedByKey(const QString &storePath, const QString &keyId,
                                                              const QString &thumbprint = {}, int limit = 500);

} // namespace Capture
