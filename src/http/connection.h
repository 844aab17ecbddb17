#pragma once

#include "http/requestparser.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>

#include <deque>
#include <memory>


namespace Http {

class ListenerWorker;
class Transport;

/// The bytes of an answer: status line, Content-Length (and Connection: close when closing).
QByteArray answerBytes(int status, bool close, const QByteArray &body = {});

/// One client connection on a worker thread: feeds the parser, queues every request for the
/// store and writes answers strictly in request order (pipelining), each 2xx only after its
/// capture committed.
class Connection final : public QObject
{
    Q_OBJECT
public:
    Connection(quint64 id, Transport *transport, ListenerWorker *worker);
    ~Connection() override;

    quint64 id() const { return m_id; }
    /// The store committed (or failed to commit) request number sequence of this connection.
    void captureStored(quint64 sequence, qint64 captureId, const QString &error);
    /// Called about once a second: enforces the header, body and idle timeouts.
    void checkTimeouts(qint64 nowMs);
    /// Stop reading new requests: a request under way may still finish; close once the pending
    /// answers are written (the last one says "Connection: close").
    void drain();
    bool isIdle() const;

private:
    struct PendingAnswer
    {
        quint64 sequence = 0;
        bool ready = false;
        bool closeAfter = false;
        QByteArray bytes;
    };

    void onReceived(const QByteArray &bytes);
    void onPeerFinished();
    void processInput();
    void finishRequest();
    void rejectRequest();
    void submit(CapturedRequest request, bool closeAfter);
    void writeReadyAnswers();
    void closeNow();
    void stamp(CapturedRequest &request);

    quint64 m_id;
    Transport *m_transport;
    ListenerWorker *m_worker;
    RequestParser m_parser;
    QByteArray m_input;       // bytes read but not yet consumed by the parser
    qsizetype m_inputPos = 0;
    std::deque<PendingAnswer> m_answers;
    quint64 m_nextSequence = 1;
    QDateTime m_firstByteAt;
    QString m_remoteAddress;
    QString m_localAddress;
    qint64 m_requestStartedMs = 0;  // first byte of the request under way
    qint64 m_lastActivityMs = 0;
    qint64 m_idleSinceMs = 0;       // the last answer went out (or the connection opened)
    bool m_sentContinue = false;
    bool m_stopReading = false;   // after an error or Connection: close
    bool m_draining = false;      // the listener is stopping
    bool m_closing = false;
    bool m_peerFinished = false;
};

} // namespace Http
