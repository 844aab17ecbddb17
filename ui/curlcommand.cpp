#include "curlcommand.h"

QString rawRequestText(const Http::CapturedRequest &request)
{
    // Latin-1 keeps every byte visible one-to-one; UTF-8 bodies still read fine in practice.
    const QByteArray &raw = request.raw;
    return QString::fromUtf8(raw).contains(QChar::ReplacementCharacter) ? QString::fromLatin1(raw) : QString::fromUtf8(raw);
}

QString shellQuote(QByteArrayView bytes)
{
    bool plain = true;
    for (const char c : bytes) {
        const auto u = uchar(c);
        if (u < 0x20 || u >= 0x7f) {
            plain = false;
            break;
        }
    }
    if (plain) {
        QString text = QString::fromLatin1(bytes.data(), bytes.size());
        text.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
        return u'\'' + text + u'\'';
    }
    QString out = QStringLiteral("$'");
    for (const char c : bytes) {
        const auto u = uchar(c);
        switch (c) {
        case '\\': out += QStringLiteral("\\\\"); break;
        case '\'': out += QStringLiteral("\\'"); break;
        case '\n': out += QStringLiteral("\\n"); break;
        case '\r': out += QStringLiteral("\\r"); break;
        case '\t': out += QStringLiteral("\\t"); break;
        default:
            if (u < 0x20 || u >= 0x7f)
                out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
            else
                out += QLatin1Char(c);
        }
    }
    return out + u'\'';
}

QString curlCommand(const Http::CapturedRequest &request, const QUrl &base)
{
    QUrl url = base;
    if (!url.isValid() || url.isEmpty())
        url = QUrl(QStringLiteral("http://127.0.0.1:8080/"));
    // The target goes verbatim after the origin (RFC 9112 §3.2.1 origin-form); --path-as-is
    // stops curl from normalising dot segments.
    const QString origin = url.scheme() + QStringLiteral("://") + url.authority();
    QStringList parts = {QStringLiteral("curl --path-as-is -X ") + shellQuote(request.method),
                         shellQuote(QByteArray(origin.toLatin1() + request.target))};
    // curl adds its own Host, User-Agent, Accept and Content-Length; send the captured ones
    // instead (an empty "Name:" would remove the header, so keep the captured value).
    for (const Http::HeaderField &field : request.headers) {
        if (field.nameIs("content-length") || field.nameIs("transfer-encoding"))
            continue; // curl frames the body it sends itself
        parts.append(QStringLiteral("-H ") + shellQuote(QByteArray(field.name + ": " + field.value)));
    }
    const QByteArrayView body = request.bodyView();
    if (!body.isEmpty())
        parts.append(QStringLiteral("--data-binary ") + shellQuote(body));
    return parts.join(QStringLiteral(" \\\n  "));
}
