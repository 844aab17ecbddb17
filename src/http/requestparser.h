#pragma once

#include "capturedrequest.h"

namespace Http {

/// Limits the parser enforces; the listener's options fill them.
struct ParserLimits
{
    qsizetype maxRequestLine = 8 * 1024;     // 414 beyond (without its CRLF)
    qsizetype maxHeaderBytes = 64 * 1024;    // 431 beyond (field lines, CRLFs and the empty line;
                                             // the trailer section gets the same budget)
    int maxHeaderFields = 200;               // 431 beyond (trailer fields are counted apart)
    qint64 maxBody = 16 * 1024 * 1024;       // 413 beyond, decided before reading the body
    qsizetype maxChunkLine = 4 * 1024;       // 400 beyond (chunk-size plus extensions)
};

// Rejection codes (Rejection::code) the parser produces; stable, for tests and users:
//   414 request-line-too-long            request line longer than maxRequestLine
//   431 header-section-too-large         header (or trailer) section over maxHeaderBytes
//   431 header-fields-too-many           more than maxHeaderFields header (or trailer) fields
//   413 body-too-large                   Content-Length, or the chunked total, over maxBody
//   400 bare-cr                          CR not followed by LF (RFC 9112 §2.2)
//   400 bare-lf                          LF without CR as line terminator (RFC 9112 §2.2)
//   400 request-line-invalid             request line without three parts (RFC 9112 §3)
//   400 request-line-whitespace          anything but single SPs between the parts (RFC 9112 §3)
//   400 method-invalid                   method is not a token (RFC 9110 §9.1)
//   400 target-invalid                   bad request-target or wrong form for the method (§3.2)
//   400 version-invalid                  not "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3)
//   505 version-unsupported              well-formed but neither HTTP/1.1 nor HTTP/1.0
//   400 obs-fold                         field line starting with SP/HTAB (RFC 9112 §5.2, §2.2)
//   400 header-line-invalid              field line without a colon (RFC 9112 §5)
//   400 header-name-whitespace           whitespace between field name and colon (§5.1)
//   400 header-name-invalid              field name empty or not a token (RFC 9110 §5.1)
//   400 header-value-invalid             CTL (other than HTAB), NUL or DEL in a value (§5.5)
//   400 host-missing                     HTTP/1.1 request without Host (RFC 9112 §3.2)
//   400 host-duplicate                   more than one Host field (RFC 9112 §3.2)
//   400 host-invalid                     Host is not uri-host [":" port]
//   400 content-length-invalid           not 1*DIGIT, or too large to represent (§6.2)
//   400 content-length-duplicate         Content-Length more than once, even equal (§6.3)
//   400 content-length-list              comma list in Content-Length (§6.3)
//   400 content-length-with-transfer-encoding  both framings present (RFC 9112 §6.1, §11.2)
//   400 transfer-encoding-http10         Transfer-Encoding in an HTTP/1.0 request (§6.1)
//   400 transfer-encoding-invalid        Transfer-Encoding empty or not a list of codings
//   501 transfer-coding-unsupported      codings other than exactly "chunked" (§6.1, §7)
//   400 chunk-size-invalid               chunk-size empty or not hex (RFC 9112 §7.1)
//   400 chunk-size-overflow              chunk-size over 16 hex digits or over 2^63-1
//   400 chunk-line-too-long              chunk-size line longer than maxChunkLine
//   400 chunk-extension-invalid          bad chunk-ext syntax (RFC 9112 §7.1.1)
//   400 chunk-data-crlf-missing          chunk-data not followed by CRLF (RFC 9112 §7.1)
// reject() adds the caller's own codes (e.g. 408 from the listener).

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
    /// the end of a request (state Complete) or at an error (state Error). Every consumed byte
    /// is appended to request().raw, except empty lines (CRLF) before the request line: those
    /// are consumed and dropped (RFC 9112 §2.2), so the parser stays idle. On an error the
    /// bytes up to and including the one that made the error certain are consumed (for a
    /// line: up to its LF; for a limit: the first byte over it), none after, and nothing more
    /// ever. Trailer fields are checked like header fields and kept, but never used for framing.
    qsizetype feed(QByteArrayView data);

    State state() const { return m_state; }
    bool isIdle() const { return m_state == State::RequestLine && m_request.raw.isEmpty(); }
    /// True once the head is parsed and the body not yet complete, when the client sent
    /// "Expect: 100-continue" (RFC 9110 §10.1.1).
    bool expectsContinue() const { return m_expectContinue; }
    bool headComplete() const { return m_state == State::Body || m_state == State::Complete; }
    /// True once the head is parsed when the connection must close after this request:
    /// "Connection: close" (a token in the list), or HTTP/1.0 without "keep-alive" (RFC 9112 §9.3).
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
    enum class LineStatus { Partial, Complete, Overflow };
    enum class ChunkState { Size, Data, DataCrlf, Trailers };

    qsizetype readLine(QByteArrayView data, qsizetype budget, LineStatus &status);
    bool takeLine(QByteArrayView &line);
    qsizetype feedRequestLine(QByteArrayView data);
    qsizetype feedFieldLine(QByteArrayView data, QList<HeaderField> &fields);
    bool finishRequestLine(QByteArrayView line);
    bool finishFieldLine(QByteArrayView line, QList<HeaderField> &fields);
    bool finishHead();
    bool checkFraming(qint64 &contentLength);
    qsizetype feedBody(QByteArrayView data);
    qsizetype feedChunked(QByteArrayView data);
    void complete();
    void fail(int status, const QString &code, const QString &reason);

    ParserLimits m_limits;
    State m_state = State::RequestLine;
    CapturedRequest m_request;
    qsizetype m_lineStart = 0;   // offset in raw of the line being assembled
    qsizetype m_headerBytes = 0; // bytes of the header (or trailer) section so far
    qint64 m_remaining = 0;      // body bytes left (Content-Length) or in the current chunk
    ChunkState m_chunkState = ChunkState::Size;
    bool m_pendingCr = false;    // a CR of a leading empty line was consumed, LF expected
    bool m_sawCr = false;        // chunk-data CR seen, LF expected
    bool m_expectContinue = false;
    bool m_wantsClose = false;
};

} // namespace Http
