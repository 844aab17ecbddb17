#include "verify/verifierinput.h"

namespace Verify {

VerifierInput VerifierInput::fromRequest(const Http::CapturedRequest &request, const QString &scheme)
{
    VerifierInput input;
    input.request = &request;
    input.method = request.method;
    input.target = request.target;
    input.scheme = scheme;
    return input;
}

QList<const Http::HeaderField *> VerifierInput::fields(QByteArrayView lowercaseName) const
{
    if (!request)
        return {};
    return request->headersNamed(lowercaseName);
}

bool VerifierInput::hasField(QByteArrayView lowercaseName) const
{
    if (host && lowercaseName == "host")
        return true;
    return !fields(lowercaseName).isEmpty();
}

QByteArray VerifierInput::combinedValue(QByteArrayView lowercaseName) const
{
    if (host && lowercaseName == "host")
        return *host;
    QByteArray result;
    const QList<const Http::HeaderField *> found = fields(lowercaseName);
    for (qsizetype i = 0; i < found.size(); ++i) {
        if (i > 0)
            result += ", ";
        result += found[i]->value.trimmed();
    }
    return result;
}

QByteArray VerifierInput::nodeValue(QByteArrayView lowercaseName) const
{
    if (host && lowercaseName == "host")
        return *host;
    // Node's lib/_http_incoming.js matchKnownFields: these keep the first value only.
    static const QList<QByteArrayView> firstOnly = {
        "age", "authorization", "content-length", "content-type", "etag", "expires", "from", "host",
        "if-modified-since", "if-unmodified-since", "last-modified", "location", "max-forwards",
        "proxy-authorization", "referer", "retry-after", "server", "user-agent"};
    const QList<const Http::HeaderField *> found = fields(lowercaseName);
    if (found.isEmpty())
        return {};
    if (firstOnly.contains(lowercaseName))
        return found.first()->value.trimmed();
    const QByteArray separator = lowercaseName == "cookie" ? QByteArrayLiteral("; ")
                                 : lowercaseName == "set-cookie" ? QByteArrayLiteral(",")
                                                                 : QByteArrayLiteral(", ");
    QByteArray result;
    for (qsizetype i = 0; i < found.size(); ++i) {
        if (i > 0)
            result += separator;
        result += found[i]->value.trimmed();
    }
    return result;
}

} // namespace Verify
