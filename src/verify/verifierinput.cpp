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
    return request && request->header(lowercaseName);
}

namespace {

// The values of the fields named name, trimmed, joined with separator (a single one as it is).
QByteArray joinedValues(const Http::CapturedRequest *request, QByteArrayView name, QByteArrayView separator)
{
    QByteArray result;
    if (!request)
        return result;
    bool first = true;
    for (const Http::HeaderField &field : request->headers) {
        if (!field.nameIs(name))
            continue;
        if (first)
            result = field.value.trimmed();
        else
            result.append(separator).append(field.value.trimmed());
        first = false;
    }
    return result;
}

} // namespace

QByteArray VerifierInput::combinedValue(QByteArrayView lowercaseName) const
{
    if (host && lowercaseName == "host")
        return *host;
    return joinedValues(request, lowercaseName, ", ");
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
    if (firstOnly.contains(lowercaseName)) {
        const Http::HeaderField *first = request ? request->header(lowercaseName) : nullptr;
        return first ? first->value.trimmed() : QByteArray();
    }
    const QByteArrayView separator = lowercaseName == "cookie" ? "; " : lowercaseName == "set-cookie" ? "," : ", ";
    return joinedValues(request, lowercaseName, separator);
}

} // namespace Verify
