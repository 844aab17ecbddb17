#pragma once

#include <QByteArrayView>

/// Pure syntax checks of RFC 9110 / RFC 9112 / RFC 3986 productions used by the request parser.
namespace Http::Grammar {

/// tchar (RFC 9110 §5.6.2).
bool isTchar(char c);
/// token = 1*tchar (RFC 9110 §5.6.2).
bool isToken(QByteArrayView text);
/// Removes OWS (SP / HTAB) on both sides (RFC 9110 §5.6.3).
QByteArrayView trimOws(QByteArrayView text);
/// Index of the first byte not allowed in a field value, or -1: CTLs other than HTAB, and DEL
/// (RFC 9110 §5.5; obs-text is allowed).
qsizetype invalidFieldValueByte(QByteArrayView value);
/// Case-insensitive ASCII comparison.
bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b);

/// The four request-target forms of RFC 9112 §3.2.
enum class TargetForm { Invalid, Origin, Absolute, Authority, Asterisk };
/// Classifies and validates a request-target. Authority-form is only recognised for CONNECT
/// (RFC 9112 §3.2.3); absolute-form requires "scheme://" (an authority, as HTTP URIs have).
TargetForm classifyTarget(QByteArrayView target, bool isConnect);
/// Host = uri-host [ ":" port ] (RFC 9110 §7.2), possibly empty.
bool isValidHost(QByteArrayView host);

/// Calls visit(element) for every non-empty, OWS-trimmed element of a comma-separated list
/// (RFC 9110 §5.6.1).
template<typename Visit>
void forEachListElement(QByteArrayView list, Visit visit)
{
    while (!list.isEmpty()) {
        const qsizetype comma = list.indexOf(',');
        const QByteArrayView element = trimOws(comma < 0 ? list : list.first(comma));
        if (!element.isEmpty())
            visit(element);
        if (comma < 0)
            break;
        list = list.sliced(comma + 1);
    }
}

enum class ContentLengthError { None, List, Invalid, Overflow };
/// Content-Length = 1*DIGIT (RFC 9112 §6.2, RFC 9110 §8.6); a comma list is reported apart.
ContentLengthError parseContentLength(QByteArrayView value, qint64 &length);

/// One chunk-size line: chunk-size [ chunk-ext ] without its CRLF (RFC 9112 §7.1, §7.1.1).
struct ChunkLine
{
    enum class Error { None, SizeInvalid, SizeOverflow, ExtensionInvalid };
    Error error = Error::None;
    qint64 size = 0;
};
ChunkLine parseChunkLine(QByteArrayView line);

} // namespace Http::Grammar
