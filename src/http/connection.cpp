#include "http/connection.h"

#include "capture/store.h"
#include "http/listener.h"
#include "http/listenerworker.h"

#include "http/transport.h"

#include <QDateTime>

namespace Http {

namespace {

// Answers queued on one connection before we stop reading it (pipelining back-pressure).
constexpr size_t maxPendingAnswers = 128;
// How long a closing connection may linger to let the client read our last answer.
constexpr qint64 lingerMs = 2000;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return QByteArrayLiteral("OK");
    case 201: return QByteArrayLiteral("Created");
    case 202: return QByteArrayLiteral("Accepted");
    case 204: return QByteArrayLiteral("No Content");
    case 400: return QByteArrayLiteral("Bad Request");
    case 401: return QByteArrayLiteral("Unauthorized");
    case 403: return QByteArrayLiteral("Forbidden");
    case 404: return QByteArrayLiteral("Not Found");
    case 408: return QByteArrayLiteral("Request Timeout");
    case 409: return QByteArrayLiteral("Conflict");
    case 410: return QByteArrayLiteral("Gone");
    case 413: return QByteArrayLiteral("Content Too Large");
    case 414: return QByteArrayLiteral("URI Too Long");
    case 422: return QByteArrayLiteral("Unprocessable Content");
    case 429: return QByteArrayLiteral("Too Many Requests");
    case 431: return QByteArrayLiteral("Request Header Fields Too Large");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 501: return QByteArrayLiteral("Not Implemented");
    case 502: return QByteArrayLiteral("Bad Gateway");
    case 503: return QByteArrayLiteral("Service Unavailable");
    case 504: return QByteArrayLiteral("Gateway Timeout");
    case 505: return QByteArrayLiteral("HTTP Version Not Supported");
    default: return QByteArrayLiteral("Status");
    }
}

} // namespace

QByteArray answerBytes(int status, bool close, const QByteArray &body)
{
    QByteArray bytes = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    // RFC 9110 §8.6: no Content-Length on 1xx, 204 and 304.
    if (status >= 200 && status != 204 && status != 304) {
        if (!body.isEmpty())
            bytes += "Content-Type: text/plain; charset=utf-8\r\n";
        bytes += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    if (close)
        bytes += "Connection: close\r\n";
    bytes += "\r\n";
    bytes += body;
    return bytes;
}

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

Connection::Connection(quint64 id, Transport *transport, ListenerWorker *worker)
    : QObject(worker)
    , m_id(id)
    , m_transport(transport)
    , m_worker(worker)
    , m_parser(worker->options().limits)
{
    m_transport->setParent(this);
    m_lastActivityMs = nowMs();
    m_idleSinceMs = m_lastActivityMs;
    connect(m_transport, &Transport::received, this, &Connection::onReceived);
    connect(m_transport, &Transport::peerFinished, this, &Connection::onPeerFinished);
    connect(m_transport, &Transport::closed, this, [this] { m_worker->connectionClosed(this); });
}

Connection::~Connection() = default;

bool Connection::isIdle() const
{
    return m_parser.isIdle() && m_answers.empty() && m_inputPos >= m_input.size();
}

void Connection::onReceived(const QByteArray &bytes)
{
    m_lastActivityMs = nowMs();
    if (m_stopReading || m_closing)
        return; // RFC 9112 §9.6 / §11.2: after an error nothing more is parsed on this connection
    if (m_inputPos >= m_input.size()) {
        m_input = bytes;
        m_inputPos = 0;
    } else {
        m_input.append(bytes);
    }
    processInput();
}

void Connection::onPeerFinished()
{
    m_peerFinished = true;
    if (!m_stopReading && !m_parser.isIdle()) {
        // The client stopped sending in the middle of a request: record what came.
        m_parser.reject(400, QStringLiteral("incomplete-request"),
                        QStringLiteral("The client closed its side before the request was complete."));
        rejectRequest();
        return;
    }
    m_stopReading = true;
    if (m_answers.empty())
        closeNow();
}

void Connection::processInput()
{
    while (m_inputPos < m_input.size() && !m_stopReading) {
        if (m_answers.size() >= maxPendingAnswers)
            break;
        if (m_parser.isIdle()) {
            m_firstByteAt = QDateTime::currentDateTimeUtc();
            m_requestStartedMs = m_firstByteAt.toMSecsSinceEpoch();
        }
        const qsizetype used = m_parser.feed(QByteArrayView(m_input).sliced(m_inputPos));
        m_inputPos += used;
        const RequestParser::State state = m_parser.state();
        if (state == RequestParser::State::Complete) {
            finishRequest();
        } else if (state == RequestParser::State::Error) {
            rejectRequest();
            break;
        } else if (used == 0) {
            break;
        }
    }
    if (m_parser.state() == RequestParser::State::Body && m_parser.expectsContinue() && !m_sentContinue
        && m_answers.empty()) {
        // RFC 9110 §10.1.1: the body was not refused (413 would have come as an error).
        m_transport->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        m_sentContinue = true;
    }
    if (m_inputPos >= m_input.size()) {
        m_input.clear();
        m_inputPos = 0;
    } else if (m_inputPos > 64 * 1024) {
        m_input.remove(0, m_inputPos);
        m_inputPos = 0;
    }
}

void Connection::stamp(CapturedRequest &request)
{
    request.firstByteAt = m_firstByteAt.isValid() ? m_firstByteAt : QDateTime::currentDateTimeUtc();
    request.lastByteAt = QDateTime::currentDateTimeUtc();
    if (m_remoteAddress.isNull()) {
        // Known once the transport is ready (after the TLS handshake); the same for every request.
        m_remoteAddress = m_transport->peerAddress.toString();
        m_localAddress = m_transport->localAddress.toString();
    }
    request.remoteAddress = m_remoteAddress;
    request.remotePort = m_transport->peerPort;
    request.localAddress = m_localAddress;
    request.localPort = m_transport->localPort;
    request.endpoint = m_worker->options().endpoint;
    request.tlsProtocol = m_transport->tlsProtocol;
    request.tlsCipher = m_transport->tlsCipher;
}

void Connection::finishRequest()
{
    // While draining, the request that was under way is the last one (RFC 9112 §9.6).
    const bool closeAfter = m_parser.wantsClose() || m_draining;
    CapturedRequest request = m_parser.takeRequest();
    stamp(request);
    m_sentContinue = false;
    if (closeAfter)
        m_stopReading = true;
    m_worker->stats().requests.fetch_add(1, std::memory_order_relaxed);
    submit(std::move(request), closeAfter);
}

void Connection::rejectRequest()
{
    CapturedRequest request = m_parser.takeRequest();
    stamp(request);
    m_stopReading = true;
    m_input.clear();
    m_inputPos = 0;
    m_worker->stats().rejected.fetch_add(1, std::memory_order_relaxed);
    submit(std::move(request), true);
}

void Connection::submit(CapturedRequest request, bool closeAfter)
{
    const bool rejected = request.isRejected();
    PendingAnswer pending;
    pending.sequence = m_nextSequence++;
    pending.closeAfter = closeAfter;
    if (rejected) {
        request.responseStatus = request.rejection.status;
        pending.ready = true;
        pending.bytes = answerBytes(request.rejection.status, true, request.rejection.reason.toUtf8() + '\n');
    } else {
        request.responseStatus = m_worker->options().responseStatus;
    }
    m_answers.push_back(std::move(pending));

    auto capture = std::make_shared<CapturedRequest>(std::move(request));
    if (rejected) {
        // Recorded, but the answer does not wait for it: only 2xx promise durability.
        m_worker->store()->append(std::move(capture));
        writeReadyAnswers();
        return;
    }
    ListenerWorker *worker = m_worker;
    const quint64 connectionId = m_id;
    const quint64 sequence = m_answers.back().sequence;
    m_worker->store()->append(std::move(capture), [worker, connectionId, sequence](qint64 id, const QString &error) {
        worker->postStored(connectionId, sequence, id, error);
    });
}

void Connection::captureStored(quint64 sequence, qint64 captureId, const QString &error)
{
    Q_UNUSED(captureId);
    for (PendingAnswer &pending : m_answers) {
        if (pending.sequence != sequence)
            continue;
        pending.ready = true;
        if (m_draining && m_stopReading && &pending == &m_answers.back())
            pending.closeAfter = true; // nothing follows: say so
        if (error.isEmpty()) {
            pending.bytes = pending.closeAfter ? m_worker->answerAndClose() : m_worker->answer();
        } else {
            // Not durable, so not acknowledged.
            pending.bytes = answerBytes(503, true, QByteArrayLiteral("the capture could not be stored\n"));
            pending.closeAfter = true;
        }
        break;
    }
    writeReadyAnswers();
}

void Connection::writeReadyAnswers()
{
    while (!m_answers.empty() && m_answers.front().ready && !m_closing) {
        PendingAnswer pending = std::move(m_answers.front());
        m_answers.pop_front();
        m_transport->write(pending.bytes);
        m_idleSinceMs = nowMs();
        if (pending.closeAfter) {
            m_stopReading = true;
            m_answers.clear();
            closeNow();
            return;
        }
    }
    if ((m_peerFinished || (m_draining && m_stopReading)) && m_answers.empty() && !m_closing) {
        closeNow();
        return;
    }
    if (!m_stopReading && m_inputPos < m_input.size())
        processInput();
    else if (m_parser.state() == RequestParser::State::Body && m_parser.expectsContinue() && !m_sentContinue
             && m_answers.empty())
        processInput();
}

void Connection::closeNow()
{
    m_closing = true;
    m_lastActivityMs = nowMs();
    m_transport->closeGracefully();
}

void Connection::drain()
{
    m_draining = true;
    // A request under way (or already buffered) is let finish; finishRequest() then stops.
    if (m_parser.isIdle() && m_inputPos >= m_input.size())
        m_stopReading = true;
    if (m_stopReading && m_answers.empty() && !m_closing)
        closeNow();
}

void Connection::checkTimeouts(qint64 now)
{
    const ListenerOptions &options = m_worker->options();
    if (m_closing) {
        if (now - m_lastActivityMs > lingerMs)
            m_transport->abort();
        return;
    }
    if (!m_transport->isReady()) {
        if (now - m_lastActivityMs > options.headerTimeoutMs)
            m_transport->abort();
        return;
    }
    if (!m_parser.isIdle() && !m_stopReading) {
        const bool headTooSlow = !m_parser.headComplete() && now - m_requestStartedMs > options.headerTimeoutMs;
        const bool bodyStalled = m_parser.headComplete() && now - m_lastActivityMs > options.headerTimeoutMs;
        if (headTooSlow || bodyStalled) {
            m_parser.reject(408, QStringLiteral("request-timeout"),
                            headTooSlow ? QStringLiteral("The request head did not arrive within %1 s.").arg(options.headerTimeoutMs / 1000)
                                        : QStringLiteral("The body stalled for more than %1 s.").arg(options.headerTimeoutMs / 1000));
            rejectRequest();
        }
        return;
    }
    // Idle since the last answer: bytes that start no request (empty lines, RFC 9112 §2.2)
    // do not keep a connection open.
    if (m_answers.empty() && now - m_idleSinceMs > options.idleTimeoutMs)
        closeNow();
}

} // namespace Http
