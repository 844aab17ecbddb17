#include "http/requestparser.h"

#include "http/httpgrammar.h"

#include <cstring>

namespace Http {

using namespace Grammar;

namespace {

// Never reserve more than this up front for a declared Content-Length: a client announcing
// 16 MiB and sending nothing must not cost 16 MiB per connection.
constexpr qint64 kMaxReservation = 1024 * 1024;
// Initial raw capacity: most requests' heads fit, so the head costs one allocation.
constexpr qsizetype kInitialReservation = 2048;

// nameIs() with the cheap length test first: the framing scan compares every field.
bool named(const HeaderField &field, QByteArrayView name)
{
    return field.name.size() == name.size() && field.nameIs(name);
}

} // namespace

RequestParser::RequestParser(ParserLimits limits)
    : m_limits(limits)
{
}

qsizetype RequestParser::feed(QByteArrayView data)
{
    qsizetype consumed = 0;
    while (consumed < data.size()) {
        const QByteArrayView rest = data.sliced(consumed);
        switch (m_state) {
        case State::RequestLine:
            consumed += feedRequestLine(rest);
            break;
        case State::Headers:
            consumed += feedFieldLine(rest, m_request.headers);
            break;
        case State::Body:
            consumed += feedBody(rest);
            break;
        case State::Complete:
        case State::Error:
            return consumed;
        }
    }
    return consumed;
}

CapturedRequest RequestParser::takeRequest()
{
    CapturedRequest request = std::move(m_request);
    const ParserLimits limits = m_limits;
    *this = RequestParser(limits);
    return request;
}

void RequestParser::reject(int status, const QString &code, const QString &reason)
{
    fail(status, code, reason);
}

void RequestParser::fail(int status, const QString &code, const QString &reason)
{
    m_state = State::Error;
    m_expectContinue = false;
    m_request.rejection = Rejection{status, code, reason, m_request.raw.size()};
}

void RequestParser::complete()
{
    m_state = State::Complete;
    m_expectContinue = false;
}

// Appends the bytes of the current line, up to and including its LF, to raw, but never lets
// the line (counted from m_lineStart, CRLF included) grow beyond budget bytes.
qsizetype RequestParser::readLine(QByteArrayView data, qsizetype budget, LineStatus &status)
{
    const qsizetype have = m_request.raw.size() - m_lineStart;
    const qsizetype window = qMax<qsizetype>(0, qMin(data.size(), budget - have));
    const void *lf = window > 0 ? std::memchr(data.data(), '\n', size_t(window)) : nullptr;
    const qsizetype taken = lf ? static_cast<const char *>(lf) - data.data() + 1 : window;
    m_request.raw.append(data.first(taken));
    status = lf ? LineStatus::Complete : (have + taken >= budget ? LineStatus::Overflow : LineStatus::Partial);
    return taken;
}

// The completed line without its CRLF. RFC 9112 §2.2: lines end with CRLF; a bare CR or a
// bare LF is rejected rather than guessed at (request smuggling, §11.2).
bool RequestParser::takeLine(QByteArrayView &line)
{
    const QByteArrayView whole = QByteArrayView(m_request.raw).sliced(m_lineStart);
    if (whole.size() < 2 || whole[whole.size() - 2] != '\r') {
        fail(400, QStringLiteral("bare-lf"), QStringLiteral("A line ends with LF alone; HTTP/1.1 requires CRLF."));
        return false;
    }
    line = whole.first(whole.size() - 2);
    if (std::memchr(line.data(), '\r', size_t(line.size()))) {
        fail(400, QStringLiteral("bare-cr"), QStringLiteral("A CR appears that is not followed by LF."));
        return false;
    }
    return true;
}

qsizetype RequestParser::feedRequestLine(QByteArrayView data)
{
    if (m_request.raw.isEmpty()) {
        // RFC 9112 §2.2: ignore empty lines before the request line; they are dropped
        if (m_pendingCr) {
            m_pendingCr = false;
            if (data.front() == '\n')
                return 1;
            m_request.raw.append('\r').append(data.front());
            fail(400, QStringLiteral("bare-cr"), QStringLiteral("A CR before the request line is not followed by LF."));
            return 1;
        }
        if (data.front() == '\r') {
            m_pendingCr = true;
            return 1;
        }
    }
    if (m_request.raw.isEmpty()) {
        m_request.raw.reserve(qMin(data.size(), kInitialReservation));
        m_request.headers.reserve(16);
    }
    LineStatus status;
    const qsizetype taken = readLine(data, m_limits.maxRequestLine + 2, status);
    if (status == LineStatus::Overflow) {
        fail(414, QStringLiteral("request-line-too-long"),
             QStringLiteral("The request line is longer than %1 bytes.").arg(m_limits.maxRequestLine));
    } else if (status == LineStatus::Complete) {
        QByteArrayView line;
        if (takeLine(line) && finishRequestLine(line)) {
            m_lineStart = m_request.raw.size();
            m_state = State::Headers;
        }
    }
    return taken;
}

// request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
bool RequestParser::finishRequestLine(QByteArrayView line)
{
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace < 0 || firstSpace == lastSpace) {
        fail(400, QStringLiteral("request-line-invalid"),
             QStringLiteral("The request line does not have the form: method, target, version separated by single spaces."));
        return false;
    }
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    if (method.isEmpty() || version.isEmpty() || target.isEmpty() || target.front() == ' ' || target.back() == ' ') {
        fail(400, QStringLiteral("request-line-whitespace"),
             QStringLiteral("The request line has whitespace other than a single space between its parts."));
        return false;
    }
    if (!isToken(method)) {
        fail(400, QStringLiteral("method-invalid"), QStringLiteral("The method is not a valid token."));
        return false;
    }
    // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3)
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (version.size() != 8 || !version.startsWith("HTTP/") || !digit(version[5]) || version[6] != '.'
        || !digit(version[7])) {
        fail(400, QStringLiteral("version-invalid"), QStringLiteral("The HTTP version is malformed."));
        return false;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        fail(505, QStringLiteral("version-unsupported"),
             QStringLiteral("HTTP version %1 is not supported; only HTTP/1.1 and HTTP/1.0 are.")
                 .arg(QString::fromLatin1(version)));
        return false;
    }
    const TargetForm form = classifyTarget(target, method == "CONNECT");
    if (form == TargetForm::Invalid || (form == TargetForm::Asterisk && method != "OPTIONS")) {
        fail(400, QStringLiteral("target-invalid"),
             QStringLiteral("The request target is not a valid origin-, absolute-, authority- (CONNECT) or "
                            "asterisk-form (OPTIONS)."));
        return false;
    }
    m_request.method = method.toByteArray();
    m_request.target = target.toByteArray();
    m_request.version = version.toByteArray();
    return true;
}

// Reads one header or trailer field line; the empty line ends the section.
qsizetype RequestParser::feedFieldLine(QByteArrayView data, QList<HeaderField> &fields)
{
    LineStatus status;
    const qsizetype taken = readLine(data, m_limits.maxHeaderBytes - m_headerBytes, status);
    if (status == LineStatus::Overflow) {
        fail(431, QStringLiteral("header-section-too-large"),
             QStringLiteral("The %1 section is larger than %2 bytes.")
                 .arg(m_state == State::Headers ? QStringLiteral("header") : QStringLiteral("trailer"))
                 .arg(m_limits.maxHeaderBytes));
        return taken;
    }
    if (status == LineStatus::Partial)
        return taken;
    QByteArrayView line;
    if (!takeLine(line))
        return taken;
    m_headerBytes += m_request.raw.size() - m_lineStart;
    if (line.isEmpty()) {
        if (m_state == State::Headers)
            finishHead();
        else
            complete();
    } else if (finishFieldLine(line, fields)) {
        m_lineStart = m_request.raw.size();
    }
    return taken;
}

// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5)
bool RequestParser::finishFieldLine(QByteArrayView line, QList<HeaderField> &fields)
{
    if (line.front() == ' ' || line.front() == '\t') {
        fail(400, QStringLiteral("obs-fold"),
             QStringLiteral("A field line starts with whitespace (obsolete line folding is not accepted)."));
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        fail(400, QStringLiteral("header-line-invalid"), QStringLiteral("A field line has no colon."));
        return false;
    }
    const QByteArrayView name = line.first(colon);
    if (!name.isEmpty() && (name.back() == ' ' || name.back() == '\t')) {
        fail(400, QStringLiteral("header-name-whitespace"),
             QStringLiteral("Whitespace between a field name and its colon is not allowed."));
        return false;
    }
    if (!isToken(name)) {
        fail(400, QStringLiteral("header-name-invalid"), QStringLiteral("A field name is empty or not a valid token."));
        return false;
    }
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    if (invalidFieldValueByte(value) >= 0) {
        fail(400, QStringLiteral("header-value-invalid"),
             QStringLiteral("The value of field %1 contains a control character, NUL or DEL.")
                 .arg(QString::fromLatin1(name)));
        return false;
    }
    if (fields.size() >= m_limits.maxHeaderFields) {
        fail(431, QStringLiteral("header-fields-too-many"),
             QStringLiteral("The request has more than %1 %2 fields.")
                 .arg(m_limits.maxHeaderFields)
                 .arg(m_state == State::Headers ? QStringLiteral("header") : QStringLiteral("trailer")));
        return false;
    }
    fields.append(HeaderField{name.toByteArray(), value.toByteArray(), m_lineStart, line.size()});
    return true;
}

bool RequestParser::finishHead()
{
    qint64 contentLength = 0;
    if (!checkFraming(contentLength))
        return false;
    m_request.bodyOffset = m_request.raw.size();
    m_lineStart = m_request.raw.size();
    const bool http11 = m_request.version == "HTTP/1.1";
    bool keepAlive = false;
    bool expectContinue = false;
    for (const HeaderField &field : std::as_const(m_request.headers)) {
        if (named(field, "Connection")) { // RFC 9112 §9.3, §9.6
            forEachListElement(field.value, [&](QByteArrayView option) {
                m_wantsClose = m_wantsClose || equalsIgnoringCase(option, "close");
                keepAlive = keepAlive || equalsIgnoringCase(option, "keep-alive");
            });
        } else if (named(field, "Expect")) { // RFC 9110 §10.1.1: ignored in HTTP/1.0
            expectContinue = expectContinue || (http11 && equalsIgnoringCase(field.value, "100-continue"));
        }
    }
    if (!http11 && !keepAlive)
        m_wantsClose = true;
    if (m_request.chunked) {
        m_state = State::Body;
        m_chunkState = ChunkState::Size;
    } else if (contentLength > 0) {
        m_state = State::Body;
        m_remaining = contentLength;
        m_request.bodyLength = qsizetype(contentLength);
        m_request.raw.reserve(m_request.raw.size() + qsizetype(qMin(contentLength, kMaxReservation)));
    } else {
        complete();
        return true;
    }
    m_expectContinue = expectContinue;
    return true;
}

// Host, Content-Length and Transfer-Encoding (RFC 9112 §3.2, §6). Fills contentLength and
// m_request.chunked.
bool RequestParser::checkFraming(qint64 &contentLength)
{
    int hosts = 0;
    const HeaderField *host = nullptr;
    QList<const HeaderField *> lengths;
    QList<const HeaderField *> codings;
    for (const HeaderField &field : std::as_const(m_request.headers)) {
        if (named(field, "Host"))
            host = hosts++ == 0 ? &field : host;
        else if (named(field, "Content-Length"))
            lengths.append(&field);
        else if (named(field, "Transfer-Encoding"))
            codings.append(&field);
    }
    const bool http11 = m_request.version == "HTTP/1.1";
    if (hosts > 1) {
        fail(400, QStringLiteral("host-duplicate"), QStringLiteral("The request has more than one Host field."));
        return false;
    }
    if (hosts == 0 && http11) {
        fail(400, QStringLiteral("host-missing"), QStringLiteral("An HTTP/1.1 request must have a Host field."));
        return false;
    }
    if (host && !isValidHost(host->value)) {
        fail(400, QStringLiteral("host-invalid"), QStringLiteral("The Host field is not a valid host and port."));
        return false;
    }
    if (!codings.isEmpty()) {
        if (!http11) {
            fail(400, QStringLiteral("transfer-encoding-http10"),
                 QStringLiteral("Transfer-Encoding is not allowed in an HTTP/1.0 request."));
            return false;
        }
        if (!lengths.isEmpty()) {
            fail(400, QStringLiteral("content-length-with-transfer-encoding"),
                 QStringLiteral("The request has both Content-Length and Transfer-Encoding."));
            return false;
        }
        QList<QByteArrayView> list;
        bool wellFormed = true;
        for (const HeaderField *field : std::as_const(codings)) {
            forEachListElement(field->value, [&](QByteArrayView coding) {
                const qsizetype params = coding.indexOf(';');
                wellFormed = wellFormed && isToken(trimOws(params < 0 ? coding : coding.first(params)));
                list.append(coding);
            });
        }
        if (!wellFormed || list.isEmpty()) {
            fail(400, QStringLiteral("transfer-encoding-invalid"),
                 QStringLiteral("Transfer-Encoding is empty or not a list of transfer codings."));
            return false;
        }
        if (list.size() != 1 || !equalsIgnoringCase(list.front(), "chunked")) {
            fail(501, QStringLiteral("transfer-coding-unsupported"),
                 QStringLiteral("Only the chunked transfer coding, applied once, is supported."));
            return false;
        }
        m_request.chunked = true;
        return true;
    }
    if (lengths.size() > 1) {
        fail(400, QStringLiteral("content-length-duplicate"),
             QStringLiteral("Content-Length appears more than once; this is rejected even when the values are equal."));
        return false;
    }
    if (lengths.isEmpty())
        return true;
    switch (parseContentLength(lengths.front()->value, contentLength)) {
    case ContentLengthError::None:
        break;
    case ContentLengthError::List:
        fail(400, QStringLiteral("content-length-list"), QStringLiteral("Content-Length holds a list of values."));
        return false;
    case ContentLengthError::Invalid:
        fail(400, QStringLiteral("content-length-invalid"), QStringLiteral("Content-Length is not a decimal number."));
        return false;
    case ContentLengthError::Overflow:
        fail(400, QStringLiteral("content-length-invalid"), QStringLiteral("Content-Length is too large to represent."));
        return false;
    }
    if (contentLength > m_limits.maxBody) {
        fail(413, QStringLiteral("body-too-large"),
             QStringLiteral("The declared body of %1 bytes exceeds the limit of %2 bytes.")
                 .arg(contentLength)
                 .arg(m_limits.maxBody));
        return false;
    }
    return true;
}

qsizetype RequestParser::feedBody(QByteArrayView data)
{
    if (m_request.chunked)
        return feedChunked(data);
    const qsizetype taken = qsizetype(qMin<qint64>(m_remaining, data.size()));
    m_request.raw.append(data.first(taken));
    m_remaining -= taken;
    if (m_remaining == 0)
        complete();
    return taken;
}

// chunked-body = *chunk last-chunk trailer-section CRLF (RFC 9112 §7.1)
qsizetype RequestParser::feedChunked(QByteArrayView data)
{
    switch (m_chunkState) {
    case ChunkState::Size: {
        LineStatus status;
        const qsizetype taken = readLine(data, m_limits.maxChunkLine + 2, status);
        QByteArrayView line;
        if (status == LineStatus::Overflow) {
            fail(400, QStringLiteral("chunk-line-too-long"),
                 QStringLiteral("A chunk-size line is longer than %1 bytes.").arg(m_limits.maxChunkLine));
        } else if (status == LineStatus::Complete && takeLine(line)) {
            const ChunkLine chunk = parseChunkLine(line);
            m_lineStart = m_request.raw.size();
            if (chunk.error == ChunkLine::Error::SizeInvalid) {
                fail(400, QStringLiteral("chunk-size-invalid"), QStringLiteral("A chunk size is empty or not hexadecimal."));
            } else if (chunk.error == ChunkLine::Error::SizeOverflow) {
                fail(400, QStringLiteral("chunk-size-overflow"), QStringLiteral("A chunk size is too large to represent."));
            } else if (chunk.error == ChunkLine::Error::ExtensionInvalid) {
                fail(400, QStringLiteral("chunk-extension-invalid"), QStringLiteral("A chunk extension is malformed."));
            } else if (chunk.size > m_limits.maxBody - m_request.decodedBody.size()) {
                fail(413, QStringLiteral("body-too-large"),
                     QStringLiteral("The chunked body exceeds the limit of %1 bytes.").arg(m_limits.maxBody));
            } else if (chunk.size == 0) {
                m_chunkState = ChunkState::Trailers;
                m_headerBytes = 0;
            } else {
                m_remaining = chunk.size;
                m_chunkState = ChunkState::Data;
            }
        }
        return taken;
    }
    case ChunkState::Data: {
        const QByteArrayView piece = data.first(qsizetype(qMin<qint64>(m_remaining, data.size())));
        m_request.raw.append(piece);
        m_request.decodedBody.append(piece);
        m_remaining -= piece.size();
        if (m_remaining == 0) {
            m_chunkState = ChunkState::DataCrlf;
            m_sawCr = false;
        }
        return piece.size();
    }
    case ChunkState::DataCrlf: {
        const char c = data.front();
        m_request.raw.append(c);
        if (c == (m_sawCr ? '\n' : '\r')) {
            if (m_sawCr) {
                m_chunkState = ChunkState::Size;
                m_lineStart = m_request.raw.size();
            }
            m_sawCr = true;
        } else if (c == '\n') {
            fail(400, QStringLiteral("bare-lf"), QStringLiteral("Chunk data ends with LF alone; CRLF is required."));
        } else {
            fail(400, QStringLiteral("chunk-data-crlf-missing"), QStringLiteral("Chunk data is not followed by CRLF."));
        }
        return 1;
    }
    case ChunkState::Trailers:
        return feedFieldLine(data, m_request.trailers);
    }
    return 0;
}

} // namespace Http
