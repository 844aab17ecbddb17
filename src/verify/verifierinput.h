#pragma once

#include "http/capturedrequest.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace Verify {

/// The request as a signature sees it: the captured request plus the values a diagnosis may vary
/// (another Host, another request-target) and how the request arrived (scheme).
struct VerifierInput
{
    const Http::CapturedRequest *request = nullptr;
    QByteArray method;
    QByteArray target;              // the request-target as received (or a variant)
    std::optional<QByteArray> host; // replaces the Host header value (variants)
    QString scheme = QStringLiteral("http");
    bool nodeHeaderSemantics = false; // repeated headers as Node's http module exposes them

    static VerifierInput fromRequest(const Http::CapturedRequest &request, const QString &scheme);

    // The fields named (case-insensitive), in order; the Host override applies to "host".
    QList<const Http::HeaderField *> fields(QByteArrayView lowercaseName) const;
    bool hasField(QByteArrayView lowercaseName) const;
    // draft-cavage §2.3 / RFC 9421 §2.1: every value, OWS-trimmed, joined with ", ".
    QByteArray combinedValue(QByteArrayView lowercaseName) const;
    // What Node's IncomingMessage.headers holds: the first value only for the headers Node
    // de-duplicates (host, content-type, content-length, user-agent, referer, authorization, ...),
    // "; " for cookie, "," for set-cookie (an array turned into a string), ", " otherwise.
    QByteArray nodeValue(QByteArrayView lowercaseName) const;
    // The value the active semantics use.
    QByteArray value(QByteArrayView lowercaseName) const
    {
        return nodeHeaderSemantics ? nodeValue(lowercaseName) : combinedValue(lowercaseName);
    }
};

} // namespace Verify
