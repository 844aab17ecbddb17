#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <expected>

namespace Exchange {

/// One request rebuilt from a HAR entry.
struct HarRequest
{
    int index = 0;          // position in log.entries
    QByteArray raw;         // the HTTP/1.1 request bytes
    QDateTime startedAt;    // startedDateTime; invalid when absent or unreadable
    bool tls = false;       // the URL scheme is https
    QString endpoint;       // _hookscope.endpoint, when the HAR came from Hookscope
    QString remoteAddress;  // _hookscope.remoteAddress, likewise
};

/// A HAR entry that could not be rebuilt: its index and one sentence naming the member.
struct HarEntryError
{
    int index = 0;
    QString message; // "entry 3: request.url is missing"
};

struct HarReadResult
{
    QList<HarRequest> requests;
    QList<HarEntryError> errors;
};

/// Reads HAR 1.2 documents (`hookscope import`) back into raw HTTP/1.1 requests: the request
/// line from method, the URL's path and query (or `_hookscope.target`) and httpVersion
/// (HTTP/1.0 stays, anything else such as HTTP/2 becomes HTTP/1.1); the header fields in order,
/// HTTP/2 pseudo-headers (":authority", ...) skipped, a Host from the URL added to HTTP/1.1 requests that have
/// none; the body from postData.text ("encoding": "base64" decoded; otherwise UTF-8) or, for
/// urlencoded forms without text, from postData.params. Content-Length is added only when it is
/// absent and a body exists; a Transfer-Encoding: chunked request gets its body as one chunk.
/// Header values and URLs map U+0000..U+00FF back to single bytes (as HarWriter writes them),
/// other text to UTF-8.
class HarReader final
{
public:
    /// Fails only when the document is not a HAR at all; bad entries are listed in errors.
    static std::expected<HarReadResult, QString> read(QByteArrayView json);
    /// A file that starts (after white space) with '{': JSON, so not a raw HTTP request.
    static bool looksLikeJson(QByteArrayView bytes);
    /// One HAR `request` object rebuilt as raw bytes; the error names the member.
    static std::expected<QByteArray, QString> rebuildRequest(const QJsonObject &request, const QJsonObject &hookscope = {});
};

} // namespace Exchange
