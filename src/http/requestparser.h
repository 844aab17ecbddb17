#pragma once

#include "capturedrequest.h"

namespace Http {

/// Limits the parser enforces; the listener's options fill them.
struct ParserLimits
{
    qsizetype maxRequestLine = 8 * 1024;     // 414 beyond
    qsizetype maxHeaderBytes = 64 * 1024;    // 431 beyond (whole header section)
    int maxHeaderFields = 200;               // 431 beyond
    qint64 maxBody = 16 * 1024 * 1024;       // 413 beyond, decided before reading the body
};

/// A strict, incremental HTTP/1.1 request parser (RFC 9112). Bytes are fed as they arrive, in
/// pieces of any size; the parser consumes exactly the bytes of the current message, so bytes
/// of a pipelined next request are left to the caller. It never reads on after an error.
class RequestParser final
{
public:
    enum class State {
        RequestLine,   // waiting for (more of) the request line
        Headers,       // reading the header section
        Body,          // head complete, reading the body (Content-Length or chunked)
        Complete,      // a whole request is ready: takeRequest()
        Error,         // rejected: rejection() says why; feed() consumes nothing more
    };

    explicit RequestParser(ParserLimits limits = {});

    /// Consumes bytes of the current request from data and returns how many it took. Stops at
    /// the end of a request (state Complete) or at an error (state Error).
    qsizetype feed(QByteArrayView data);

    State state() const { return m_state; }
    bool isIdle() const { return m_state == State::RequestLine && m_request.raw.isEmpty(); }
    /// True once the head is parsed and the body not yet complete, when the client sent
    /// "Expect: 100-continue" (RFC 9110 §10.1.1).
    bool expectsContinue() const { return m_expectContinue; }
    bool headComplete() const { return m_state == State::Body || m_state == State::Complete; }
    /// True when the request asked for the connection to close (Connection: close).
    bool wantsClose() const { return m_wantsClose; }

    /// The request so far (complete when state() is Complete; partial with the rejection when
    /// Error). Resets the parser for the next request.
    CapturedRequest takeRequest();
    /// Marks the partial request as rejected from outside (e.g. 408 on timeout).
    void reject(int status, const QString &code, const QString &reason);
    const Rejection &rejection() const { return m_request.rejection; }
    const CapturedRequest &request() const { return m_request; }

private:
    // implementation detail, free to change
    qsizetype parseLine(QByteArrayView data, qsizetype limit, int overflowStatus);
    bool finishRequestLine(QByteArrayView line);
    bool finishHeaderLine(QByteArrayView line, qsizetype lineOffset);
    bool finishHead();
    qsizetype feedBody(QByteArrayView data);
    qsizetype feedChunked(QByteArrayView data);
    void fail(int status, const QString &code, const QString &reason);

    enum class ChunkState { Size, Data, DataCrlf, Trailers };

    ParserLimits m_limits;
    State m_state = State::RequestLine;
    CapturedRequest m_request;
    QByteArray m_line;          // current line being assembled (without CRLF)
    qsizetype m_lineStart = 0;  // offset of the current line in raw
    qsizetype m_headerBytes = 0;
    qint64 m_remaining = 0;     // body bytes left (Content-Length) or in the current chunk
    ChunkState m_chunkState = ChunkState::Size;
    bool m_expectContinue = false;
    bool m_wantsClose = false;
};

} // namespace Http
