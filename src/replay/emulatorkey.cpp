#include "replay/emulatorkey.h"

#include "verify/crypto.h"
#include "verify/jwk.h"

#include <QDir>
#include <QFile>

namespace Replay {

namespace {

Verify::KeyPtr withThumbprintKid(const Verify::KeyPtr &key)
{
    if (!key->kid.isEmpty() || key->thumbprint.isEmpty())
        return key;
    auto copy = std::make_shared<Verify::Key>(*key);
    copy->kid = QString::fromLatin1(key->thumbprint);
    return copy;
}

} // namespace

std::expected<Verify::KeyPtr, QString> loadPrivateKeyFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    auto key = bytes.trimmed().startsWith('{') ? Verify::keyFromJwkJson(bytes, path, true)
                                               : Verify::keyFromPrivatePem(bytes, QString(), path);
    if (!key)
        return std::unexpected(QStringLiteral("%1: %2").arg(path, key.error()));
    if (!(*key)->hasPrivate)
        return std::unexpected(QStringLiteral("%1 holds no private key").arg(path));
    return withThumbprintKid(*key);
}

std::expected<Verify::KeyPtr, QString> loadOrCreateEmulatorKey(const QString &directory)
{
    const QString path = QDir(directory).filePath(QStringLiteral("private.pem"));
    if (QFile::exists(path))
        return loadPrivateKeyFile(path);

    if (!QDir().mkpath(directory))
        return std::unexpected(QStringLiteral("cannot create the folder %1").arg(directory));
    auto key = Verify::generateKey(Verify::KeyType::Rsa, 2048);
    if (!key)
        return std::unexpected(key.error());
    auto pem = Verify::privateKeyToPem(**key);
    if (!pem)
        return std::unexpected(pem.error());
    // Created with 0600 from the start (NewOnly): the private key is never readable by others.
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        // Another process created it first: use theirs.
        if (QFile::exists(path))
            return loadPrivateKeyFile(path);
        return std::unexpected(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    }
    if (file.write(*pem) != pem->size() || !file.flush()) {
        file.remove();
        return std::unexpected(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    }
    file.close();
    return withThumbprintKid(*key);
}

} // namespace Replay
