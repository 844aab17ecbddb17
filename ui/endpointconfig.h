#pragma once

#include "http/listeneroptions.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

/// One endpoint as the user configures it: where it listens, how it answers, and which keys
/// and policy verify what it receives. Stored in Settings as JSON.
struct EndpointConfig
{
    QString name = QStringLiteral("default");
    QString bindAddress = QStringLiteral("127.0.0.1");
    quint16 port = 8080;
    bool https = false;
    QString certificateFile; // HTTPS with files; empty: a generated self-signed certificate
    QString keyFile;
    int responseStatus = 200;
    QString policy = QStringLiteral("strict");
    QStringList keySources; // JWKS/PEM files or URLs
    QStringList secrets;    // HMAC secrets as "kid=secret"
    bool enabled = true;

    QJsonObject toJson() const;
    static EndpointConfig fromJson(const QJsonObject &object);
    /// The listener options for this endpoint (limits and data folder come from Settings).
    Http::ListenerOptions listenerOptions(const Http::ParserLimits &limits, const QString &dataDirectory) const;
    QString url() const;
};
