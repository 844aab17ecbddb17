#pragma once

#include "http/requestparser.h"

#include <QHostAddress>
#include <QString>

namespace Http {

enum class TlsMode { None, SelfSigned, Files };

/// Everything one listener (an endpoint) is configured with.
struct ListenerOptions
{
    QString endpoint = QStringLiteral("default");
    QHostAddress bindAddress = QHostAddress(QHostAddress::LocalHost); // never all interfaces unless asked
    quint16 port = 8080;
    TlsMode tls = TlsMode::None;
    QString tlsCertificateFile; // Files: PEM certificate (chain)
    QString tlsKeyFile;         // Files: PEM private key
    QString dataDirectory;      // SelfSigned: where the generated certificate is kept
    ParserLimits limits;
    int headerTimeoutMs = 30'000; // the whole head, and any silence inside a body
    int idleTimeoutMs = 75'000;   // keep-alive connection with no request under way
    int maxConnections = 1000;
    int responseStatus = 200;
    int workerThreads = 1; // the first serves on the store's writer thread
};

} // namespace Http
