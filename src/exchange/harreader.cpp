#include "exchange/harreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QUrl>

namespace Exchange {

namespace {

// Text that HarWriter wrote from bytes (U+0000..U+00FF) goes back byte for byte; anything
// beyond Latin-1 was written by another tool as Unicode text and is sent as UTF-8.
QByteArray bytesOf(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() > 0xFF)
            return text.toUtf8();
    }
    return text.toLatin1();
}

// A request-target must be visible ASCII (RFC 9112 §3.2); percent-encode the rest as UTF-8.
QByteArray targetBytes(const QString &text)
{
    QByteArray result;
    for (const char byte : text.toUtf8()) {
        const auto u = static_cast<unsigned char>(byte);
        if (u > 0x20 && u < 0x7F)
            result.append(byte);
        else
            result.append('%').append(QByteArray::number(u, 16).toUpper().rightJustified(2, '0'));
    }
    return result;
}

struct UrlParts
{
    QString authority;
    QByteArray target;
};

std::expected<UrlParts, QString> splitUrl(const QString &url)
{
    const qsizetype schemeEnd = url.indexOf(QLatin1String("://"));
    if (schemeEnd <= 0)
        return std::unexpected(QStringLiteral("request.url is not an absolute URL"));
    const qsizetype authorityStart = schemeEnd + 3;
    qsizetype pathStart = authorityStart;
    while (pathStart < url.size() && url[pathStart] != QLatin1Char('/') && url[pathStart] != QLatin1Char('?')
           && url[pathStart] != QLatin1Char('#'))
        ++pathStart;
    UrlParts parts;
    parts.authority = url.mid(authorityStart, pathStart - authorityStart);
    const qsizetype at = parts.authority.lastIndexOf(QLatin1Char('@')); // userinfo never goes in Host
    if (at >= 0)
        parts.authority = parts.authority.mid(at + 1);
    QString target = url.mid(pathStart);
    const qsizetype fragment = target.indexOf(QLatin1Char('#')); // RFC 9110 §4.2.1: never sent
    if (fragment >= 0)
        target.truncate(fragment);
    if (!target.startsWith(QLatin1Char('/')))
        target.prepend(QLatin1Char('/'));
    parts.target = targetBytes(target);
    return parts;
}

std::expected<QByteArray, QString> bodyOf(const QJsonObject &request)
{
    const QJsonValue postValue = request.value(QStringLiteral("postData"));
    if (postValue.isUndefined() || postValue.isNull())
        return QByteArray();
    if (!postValue.isObject())
        return std::unexpected(QStringLiteral("request.postData is not an object"));
    const QJsonObject post = postValue.toObject();
    const QJsonValue text = post.value(QStringLiteral("text"));
    if (text.isString()) {
        const QString encoding = post.value(QStringLiteral("encoding")).toString();
        if (encoding.isEmpty())
            return text.toString().toUtf8();
        if (encoding.compare(QLatin1String("base64"), Qt::CaseInsensitive) != 0)
            return std::unexpected(QStringLiteral("request.postData.encoding '%1' is not supported (base64 is)").arg(encoding));
        auto decoded = QByteArray::fromBase64Encoding(text.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return std::unexpected(QStringLiteral("request.postData.text is not valid base64"));
        return *decoded;
    }
    if (!text.isUndefined() && !text.isNull())
        return std::unexpected(QStringLiteral("request.postData.text is not a string"));
    const QJsonArray params = post.value(QStringLiteral("params")).toArray();
    if (params.isEmpty())
        return QByteArray();
    if (!post.value(QStringLiteral("mimeType")).toString().startsWith(QLatin1String("application/x-www-form-urlencoded")))
        return std::unexpected(QStringLiteral("request.postData has params but no text, and only urlencoded forms can be rebuilt from params"));
    QByteArray body;
    for (qsizetype i = 0; i < params.size(); ++i) {
        const QJsonObject param = params.at(i).toObject();
        if (!param.value(QStringLiteral("name")).isString())
            return std::unexpected(QStringLiteral("request.postData.params[%1].name is not a string").arg(i));
        if (!body.isEmpty())
            body.append('&');
        body.append(QUrl::toPercentEncoding(param.value(QStringLiteral("name")).toString()) + '='
                    + QUrl::toPercentEncoding(param.value(QStringLiteral("value")).toString()));
    }
    return body;
}

QString entryError(int index, const QString &message)
{
    return QStringLiteral("entry %1: %2").arg(index).arg(message);
}

} // namespace

bool HarReader::looksLikeJson(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{';
    }
    return false;
}

std::expected<QByteArray, QString> HarReader::rebuildRequest(const QJsonObject &request, const QJsonObject &hookscope)
{
    const QJsonValue methodValue = request.value(QStringLiteral("method"));
    if (!methodValue.isString() || methodValue.toString().isEmpty())
        return std::unexpected(QStringLiteral("request.method is missing"));
    const QJsonValue urlValue = request.value(QStringLiteral("url"));
    if (!urlValue.isString())
        return std::unexpected(QStringLiteral("request.url is missing"));
    auto url = splitUrl(urlValue.toString());
    if (!url)
        return std::unexpected(url.error());
    QByteArray target = url->target;
    if (hookscope.value(QStringLiteral("target")).isString())
        target = bytesOf(hookscope.value(QStringLiteral("target")).toString());
    const QByteArray version = request.value(QStringLiteral("httpVersion")).toString().compare(QLatin1String("HTTP/1.0"), Qt::CaseInsensitive) == 0
                             ? QByteArrayLiteral("HTTP/1.0") : QByteArrayLiteral("HTTP/1.1");

    const QJsonValue headersValue = request.value(QStringLiteral("headers"));
    if (!headersValue.isArray() && !headersValue.isUndefined())
        return std::unexpected(QStringLiteral("request.headers is not an array"));
    QList<std::pair<QByteArray, QByteArray>> fields;
    bool hasHost = false, hasLength = false, chunked = false;
    const QJsonArray headers = headersValue.toArray();
    for (qsizetype i = 0; i < headers.size(); ++i) {
        const QJsonObject header = headers.at(i).toObject();
        const QJsonValue name = header.value(QStringLiteral("name"));
        const QJsonValue value = header.value(QStringLiteral("value"));
        if (!name.isString() || name.toString().isEmpty())
            return std::unexpected(QStringLiteral("request.headers[%1].name is missing").arg(i));
        if (!value.isString())
            return std::unexpected(QStringLiteral("request.headers[%1].value is not a string").arg(i));
        if (name.toString().startsWith(QLatin1Char(':')))
            continue; // HTTP/2 pseudo-header (RFC 9113 §8.3): the request line and Host carry it
        const QByteArray fieldName = bytesOf(name.toString());
        const QByteArray fieldValue = bytesOf(value.toString());
        if (fieldName.contains('\r') || fieldName.contains('\n') || fieldValue.contains('\r') || fieldValue.contains('\n'))
            return std::unexpected(QStringLiteral("request.headers[%1] contains a line break").arg(i));
        hasHost = hasHost || fieldName.compare("host", Qt::CaseInsensitive) == 0;
        hasLength = hasLength || fieldName.compare("content-length", Qt::CaseInsensitive) == 0;
        chunked = chunked || (fieldName.compare("transfer-encoding", Qt::CaseInsensitive) == 0
                              && fieldValue.toLower().contains("chunked"));
        fields.append({fieldName, fieldValue});
    }
    auto body = bodyOf(request);
    if (!body)
        return std::unexpected(body.error());
    if (!hasHost && version == "HTTP/1.1") // RFC 9112 §3.2: required in HTTP/1.1 only
        fields.prepend({QByteArrayLiteral("Host"), bytesOf(url->authority)});
    if (!hasLength && !chunked && !body->isEmpty())
        fields.append({QByteArrayLiteral("Content-Length"), QByteArray::number(body->size())});

    QByteArray raw = methodValue.toString().toLatin1() + ' ' + target + ' ' + version + "\r\n";
    for (const auto &[name, value] : std::as_const(fields))
        raw += value.isEmpty() ? QByteArray(name + ":\r\n") : QByteArray(name + ": " + value + "\r\n");
    raw += "\r\n";
    if (chunked) {
        // RFC 9112 §7.1: the payload as one chunk, then the last chunk
        if (!body->isEmpty())
            raw += QByteArray::number(body->size(), 16) + "\r\n" + *body + "\r\n";
        raw += "0\r\n\r\n";
    } else {
        raw += *body;
    }
    return raw;
}

std::expected<HarReadResult, QString> HarReader::read(QByteArrayView json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return std::unexpected(QStringLiteral("not valid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    const QJsonValue log = document.object().value(QStringLiteral("log"));
    if (!log.isObject())
        return std::unexpected(QStringLiteral("not a HAR file: no \"log\" object"));
    const QJsonValue entries = log.toObject().value(QStringLiteral("entries"));
    if (!entries.isArray())
        return std::unexpected(QStringLiteral("not a HAR file: log.entries is not an array"));

    HarReadResult result;
    const QJsonArray list = entries.toArray();
    for (int index = 0; index < list.size(); ++index) {
        const QJsonObject entry = list.at(index).toObject();
        const QJsonValue request = entry.value(QStringLiteral("request"));
        if (!request.isObject()) {
            result.errors.append({index, entryError(index, QStringLiteral("request is missing"))});
            continue;
        }
        const QJsonObject hookscope = entry.value(QStringLiteral("_hookscope")).toObject();
        auto raw = rebuildRequest(request.toObject(), hookscope);
        if (!raw) {
            result.errors.append({index, entryError(index, raw.error())});
            continue;
        }
        HarRequest harRequest;
        harRequest.index = index;
        harRequest.raw = *raw;
        harRequest.startedAt = QDateTime::fromString(entry.value(QStringLiteral("startedDateTime")).toString(), Qt::ISODateWithMs);
        harRequest.tls = request.toObject().value(QStringLiteral("url")).toString().startsWith(QLatin1String("https:"), Qt::CaseInsensitive);
        harRequest.endpoint = hookscope.value(QStringLiteral("endpoint")).toString();
        harRequest.remoteAddress = hookscope.value(QStringLiteral("remoteAddress")).toString();
        result.requests.append(harRequest);
    }
    return result;
}

} // namespace Exchange
