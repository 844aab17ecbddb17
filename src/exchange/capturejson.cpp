#include "exchange/capturejson.h"

#include <QJsonValue>

namespace Exchange {

QString rfc3339(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

QJsonObject captureToJson(const Http::CapturedRequest &capture, const QJsonObject &verification,
                          const QJsonObject &event)
{
    QJsonObject object;
    object.insert(QStringLiteral("id"), capture.id);
    object.insert(QStringLiteral("receivedAt"), rfc3339(capture.firstByteAt));
    object.insert(QStringLiteral("method"), QString::fromLatin1(capture.method));
    object.insert(QStringLiteral("target"), QString::fromLatin1(capture.target));
    object.insert(QStringLiteral("bodyBytes"), qint64(capture.bodyView().size()));
    object.insert(QStringLiteral("endpoint"), capture.endpoint);
    object.insert(QStringLiteral("remoteAddress"), capture.remoteAddress);
    object.insert(QStringLiteral("remotePort"), capture.remotePort);
    object.insert(QStringLiteral("rawBytes"), qint64(capture.raw.size()));
    if (capture.isTls()) {
        object.insert(QStringLiteral("tls"), QJsonObject{{QStringLiteral("protocol"), capture.tlsProtocol},
                                                         {QStringLiteral("cipher"), capture.tlsCipher}});
    }
    object.insert(QStringLiteral("responseStatus"), capture.responseStatus);
    if (capture.isRejected()) {
        object.insert(QStringLiteral("rejected"), QJsonObject{
            {QStringLiteral("status"), capture.rejection.status},
            {QStringLiteral("code"), capture.rejection.code},
            {QStringLiteral("reason"), capture.rejection.reason},
            {QStringLiteral("offset"), qint64(capture.rejection.offset)},
        });
    }
    if (capture.imported)
        object.insert(QStringLiteral("imported"), true);
    object.insert(QStringLiteral("verification"), verification.isEmpty() ? QJsonValue() : QJsonValue(verification));
    if (!event.isEmpty())
        object.insert(QStringLiteral("event"), event);
    return object;
}

} // namespace Exchange
