#include "exchange/harwriter.h"

#include "exchange/capturejson.h"

#include <QJsonDocument>
#include <QStringDecoder>
#include <QUrl>

namespace Exchange {

namespace {

QString latin1(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes);
}

// RFC 9110 §15 reason phrases for what a listener answers.
QString statusText(int status)
{
    switch (status) {
    case 200: return QStringLiteral("OK");
    case 201: return QStringLiteral("Created");
    case 202: return QStringLiteral("Accepted");
    case 204: return QStringLiteral("No Content");
    case 400: return QStringLiteral("Bad Request");
    case 401: return QStringLiteral("Unauthorized");
    case 403: return QStringLiteral("Forbidden");
    case 404: return QStringLiteral("Not Found");
    case 408: return QStringLiteral("Request Timeout");
    case 413: return QStringLiteral("Content Too Large");
    case 414: return QStringLiteral("URI Too Long");
    case 431: return QStringLiteral("Request Header Fields Too Large");
    case 500: return QStringLiteral("Internal Server Error");
    case 501: return QStringLiteral("Not Implemented");
    case 503: return QStringLiteral("Service Unavailable");
    case 505: return QStringLiteral("HTTP Version Not Supported");
    default: return QString();
    }
}

bool isOriginForm(QByteArrayView target)
{
    return target.startsWith('/');
}

QJsonArray queryString(QByteArrayView target)
{
    QJsonArray result;
    const qsizetype question = target.indexOf('?');
    if (question < 0)
        return result;
    const QByteArray query = target.sliced(question + 1).toByteArray();
    for (const QByteArray &pair : query.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        QByteArray name = equals < 0 ? pair : pair.left(equals);
        QByteArray value = equals < 0 ? QByteArray() : pair.mid(equals + 1);
        // application/x-www-form-urlencoded: '+' is a space
        name.replace('+', ' ');
        value.replace('+', ' ');
        result.append(QJsonObject{{QStringLiteral("name"), QUrl::fromPercentEncoding(name)},
                                  {QStringLiteral("value"), QUrl::fromPercentEncoding(value)}});
    }
    return result;
}

QJsonObject postData(const Http::CapturedRequest &request)
{
    const QByteArrayView body = request.bodyView();
    const Http::HeaderField *contentType = request.header("content-type");
    QJsonObject data{{QStringLiteral("mimeType"), contentType ? latin1(contentType->value) : QString()}};
    // ConvertInitialBom: a leading BOM stays in the text, so the bytes come back unchanged.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decoder.decode(body);
    if (decoder.hasError()) {
        // Not UTF-8: keep the exact bytes.
        data.insert(QStringLiteral("text"), QString::fromLatin1(body.toByteArray().toBase64()));
        data.insert(QStringLiteral("encoding"), QStringLiteral("base64"));
    } else {
        data.insert(QStringLiteral("text"), text);
    }
    return data;
}

} // namespace

QJsonObject HarWriter::entry(const Capture::StoredCapture &capture)
{
    const Http::CapturedRequest &request = capture.request;
    const Http::HeaderField *hostField = request.header("host");
    const QString scheme = request.isTls() ? QStringLiteral("https") : QStringLiteral("http");
    const QString host = hostField && !hostField->value.isEmpty() ? latin1(hostField->value)
                       : request.localAddress.isEmpty() ? QStringLiteral("localhost")
                       : request.localAddress + QLatin1Char(':') + QString::number(request.localPort);
    const QString url = isOriginForm(request.target) ? scheme + QStringLiteral("://") + host + latin1(request.target)
                      : request.target.contains("://") ? latin1(request.target)
                      : scheme + QStringLiteral("://") + host + QLatin1Char('/');

    QJsonArray headers;
    for (const Http::HeaderField &field : request.headers)
        headers.append(QJsonObject{{QStringLiteral("name"), latin1(field.name)}, {QStringLiteral("value"), latin1(field.value)}});

    const qsizetype headEnd = request.raw.indexOf("\r\n\r\n");
    const qint64 bodySize = request.bodyView().size();
    QJsonObject harRequest{
        {QStringLiteral("method"), latin1(request.method)},
        {QStringLiteral("url"), url},
        {QStringLiteral("httpVersion"), request.version.isEmpty() ? QStringLiteral("HTTP/1.1") : latin1(request.version)},
        {QStringLiteral("cookies"), QJsonArray()},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("queryString"), queryString(request.target)},
        {QStringLiteral("headersSize"), headEnd < 0 ? -1 : qint64(headEnd + 4)},
        {QStringLiteral("bodySize"), bodySize},
    };
    if (bodySize > 0 || request.header("content-length") || request.header("transfer-encoding"))
        harRequest.insert(QStringLiteral("postData"), postData(request));

    const int status = request.isRejected() ? request.rejection.status : request.responseStatus;
    const QJsonObject response{
        {QStringLiteral("status"), status},
        {QStringLiteral("statusText"), statusText(status)},
        {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
        {QStringLiteral("cookies"), QJsonArray()},
        {QStringLiteral("headers"), QJsonArray()},
        {QStringLiteral("content"), QJsonObject{{QStringLiteral("size"), 0}, {QStringLiteral("mimeType"), QString()}}},
        {QStringLiteral("redirectURL"), QString()},
        {QStringLiteral("headersSize"), -1},
        {QStringLiteral("bodySize"), 0},
    };

    // Only the receiving side is known: the whole request transfer is "send".
    const qint64 sendMs = request.firstByteAt.isValid() && request.lastByteAt.isValid()
                        ? qMax<qint64>(0, request.firstByteAt.msecsTo(request.lastByteAt)) : 0;

    QJsonObject hookscope{
        {QStringLiteral("id"), request.id},
        {QStringLiteral("endpoint"), request.endpoint},
        {QStringLiteral("remoteAddress"), request.remoteAddress},
        {QStringLiteral("verification"), capture.annotation.verificationJson.isEmpty()
             ? QJsonValue() : QJsonValue(QJsonDocument::fromJson(capture.annotation.verificationJson).object())},
        {QStringLiteral("rejected"), request.isRejected() ? QJsonValue(QJsonObject{
             {QStringLiteral("status"), request.rejection.status},
             {QStringLiteral("code"), request.rejection.code},
             {QStringLiteral("reason"), request.rejection.reason},
             {QStringLiteral("offset"), qint64(request.rejection.offset)},
         }) : QJsonValue()},
    };
    if (request.imported)
        hookscope.insert(QStringLiteral("imported"), true);
    if (!isOriginForm(request.target))
        hookscope.insert(QStringLiteral("target"), latin1(request.target));
    if (!capture.annotation.eventJson.isEmpty())
        hookscope.insert(QStringLiteral("event"), QJsonDocument::fromJson(capture.annotation.eventJson).object());

    return QJsonObject{
        {QStringLiteral("startedDateTime"), rfc3339(request.firstByteAt.isValid() ? request.firstByteAt
                                                                                  : QDateTime::fromMSecsSinceEpoch(0, Qt::UTC))},
        {QStringLiteral("time"), sendMs},
        {QStringLiteral("request"), harRequest},
        {QStringLiteral("response"), response},
        {QStringLiteral("cache"), QJsonObject()},
        {QStringLiteral("timings"), QJsonObject{{QStringLiteral("send"), sendMs},
                                                {QStringLiteral("wait"), 0},
                                                {QStringLiteral("receive"), 0}}},
        {QStringLiteral("_hookscope"), hookscope},
    };
}

void HarWriter::add(const Capture::StoredCapture &capture)
{
    m_entries.append(entry(capture));
}

QJsonObject HarWriter::document() const
{
    const QJsonObject log{
        {QStringLiteral("version"), QStringLiteral("1.2")},
        {QStringLiteral("creator"), QJsonObject{{QStringLiteral("name"), QStringLiteral("hookscope")},
                                                {QStringLiteral("version"), QStringLiteral(HOOKSCOPE_VERSION)}}},
        {QStringLiteral("entries"), m_entries},
    };
    return QJsonObject{{QStringLiteral("log"), log}};
}

QByteArray HarWriter::toJson() const
{
    return QJsonDocument(document()).toJson(QJsonDocument::Indented);
}

} // namespace Exchange
