#include "exchange/capturejson.h"

#include "http/utctext.h"
#include "verify/jsonwriter.h"

#include <QJsonValue>

namespace Exchange {

QString rfc3339(const QDateTime &time)
{
    return Http::utcText(time, Http::UtcPrecision::Milliseconds);
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

namespace Exchange {

QByteArray captureJsonText(const Http::CapturedRequest &capture, QByteArrayView verificationJson, QByteArrayView eventJson)
{
    // Keys in QJsonObject's order (sorted), so the text equals the object's.
    QByteArray out;
    out.reserve(256 + verificationJson.size() + eventJson.size());
    Verify::JsonWriter json(out);
    json.beginObject();
    json.key("bodyBytes").value(qint64(capture.bodyView().size()));
    json.key("endpoint").value(capture.endpoint);
    if (!eventJson.isEmpty() && eventJson != "{}")
        json.key("event").raw(eventJson);
    json.key("id").value(capture.id);
    if (capture.imported)
        json.key("imported").boolean(true);
    json.key("method").value(QString::fromLatin1(capture.method));
    json.key("rawBytes").value(qint64(capture.raw.size()));
    json.key("receivedAt").value(rfc3339(capture.firstByteAt));
    if (capture.isRejected()) {
        json.key("rejected").beginObject();
        json.key("code").value(capture.rejection.code);
        json.key("offset").value(qint64(capture.rejection.offset));
        json.key("reason").value(capture.rejection.reason);
        json.key("status").value(qint64(capture.rejection.status));
        json.endObject();
    }
    json.key("remoteAddress").value(capture.remoteAddress);
    json.key("remotePort").value(qint64(capture.remotePort));
    json.key("responseStatus").value(qint64(capture.responseStatus));
    json.key("target").value(QString::fromLatin1(capture.target));
    if (capture.isTls()) {
        json.key("tls").beginObject();
        json.key("cipher").value(capture.tlsCipher);
        json.key("protocol").value(capture.tlsProtocol);
        json.endObject();
    }
    json.key("verification");
    if (verificationJson.isEmpty() || verificationJson == "{}")
        json.null();
    else
        json.raw(verificationJson);
    json.endObject();
    return out;
}

} // namespace Exchange
