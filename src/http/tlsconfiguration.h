#pragma once

#include "http/listeneroptions.h"

#include <QSslConfiguration>

#include <expected>

namespace Http {

/// The server-side TLS configuration for a listener: the user's certificate and key, or a
/// self-signed certificate for localhost / 127.0.0.1 / ::1 created once and kept in
/// options.dataDirectory.
std::expected<QSslConfiguration, QString> serverTlsConfiguration(const ListenerOptions &options);

/// Creates a self-signed ECDSA P-256 certificate with the given subject alternative names and
/// writes certificate and key as PEM (the key file readable by the owner only).
std::expected<void, QString> createSelfSignedCertificate(const QString &certificateFile,
                                                         const QString &keyFile);

} // namespace Http
