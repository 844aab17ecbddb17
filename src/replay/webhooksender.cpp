#include "replay/webhooksender.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace Replay {

WebhookSender::WebhookSender(Options options)
    : m_options(options)
{
}

SendResult WebhookSender::send(const QByteArray &method, const QUrl &url,
                               const QList<std::pair<QByteArray, QByteArray>> &fields, const QByteArray &body) const
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    // HTTP/1.1 only: with HTTP/2 the Host field becomes :authority and the request differs from
    // what the provider sends.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    for (const auto &[name, value] : fields)
        request.setRawHeader(name, value);

    QNetworkReply *reply = manager.sendCustomRequest(request, method, body);
    if (m_options.insecure) {
        QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &) {
            reply->ignoreSslErrors();
        });
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    bool timedOut = false;
    QTimer::singleShot(m_options.timeoutMs, &loop, [reply, &timedOut] {
        timedOut = true;
        reply->abort();
    });
    if (!reply->isFinished())
        loop.exec();

    SendResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (result.status == 0) {
        result.error = timedOut ? QStringLiteral("no answer within %1 s").arg(m_options.timeoutMs / 1000)
                                : reply->errorString();
    }
    return result; // the manager owns and deletes the reply
}

} // namespace Replay
