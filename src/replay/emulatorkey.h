#pragma once

#include "verify/key.h"

#include <QString>

#include <expected>

namespace Replay {

/// The provider emulator's own key pair: an RSA-2048 key created on first use and kept in
/// directory/private.pem (PKCS#8, mode 0600), then reused so receivers can keep its JWKS.
/// The key's kid is its RFC 7638 thumbprint.
std::expected<Verify::KeyPtr, QString> loadOrCreateEmulatorKey(const QString &directory);

/// A private signing key from a file: PEM (PKCS#8, PKCS#1 or SEC1) or a private JWK.
std::expected<Verify::KeyPtr, QString> loadPrivateKeyFile(const QString &path);

} // namespace Replay
