#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <utility>

namespace Replay {

/// The outcome of one POST: the HTTP status, or 0 and a sentence when no answer arrived.
struct SendResult
{
    int status = 0;
    QString error;
    bool ok() const { return status >= 200 && status < 300; }
};

/// Sends one HTTP/1.1 request with QNetworkAccessManager and waits for the answer (headless
/// commands; call it on a thread with no event loop of its own running). The given header fields
/// are sent as they are; Qt adds Content-Length and its usual Connection, Accept-Encoding,
/// Accept-Language and User-Agent fields, which the provider's signature does not cover.
class WebhookSender final
{
public:
    struct Options
    {
        bool insecure = false; // https: accept any certificate (self-signed listeners)
        int timeoutMs = 30000;
    };

    explicit WebhookSender(Options options);

    SendResult send(const QByteArray &method, const QUrl &url,
                    const QList<std::pair<QByteArray, QByteArray>> &fields, const QByteArray &body) const;

private:
    Options m_options;
};

} // namespace Replay
