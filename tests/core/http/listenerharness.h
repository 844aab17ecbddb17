#pragma once

// What the listener tests share: a listener with its own store, and blocking clients on top
// of QTcpSocket (see httpclient.h for the raw ones).

#include "httpclient.h"

#include "capture/store.h"
#include "capture/storereader.h"
#include "http/listener.h"

#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <memory>

inline constexpr int answerTimeoutMs = 15000;

inline Http::ListenerOptions localOptions()
{
    Http::ListenerOptions options;
    options.port = 0;
    return options;
}

/// A listener with its own store in a temporary directory.
class Server
{
public:
    explicit Server(Http::ListenerOptions options = localOptions())
    {
        auto opened = Capture::Store::open(m_dir.filePath(QStringLiteral("captures.sqlite")));
        if (!opened) {
            m_error = opened.error();
            return;
        }
        m_store = std::move(*opened);
        start(options);
    }

    bool start(Http::ListenerOptions options)
    {
        if (options.dataDirectory.isEmpty())
            options.dataDirectory = m_dir.path();
        m_listener = std::make_unique<Http::Listener>(m_store.get());
        if (auto started = m_listener->start(options); !started) {
            m_error = started.error();
            return false;
        }
        m_error.clear();
        m_port = m_listener->url().port();
        return true;
    }

    bool isListening() const { return m_listener && m_listener->isListening(); }
    QString error() const { return m_error; }
    quint16 port() const { return m_port; }
    QString dataPath(const QString &name) const { return m_dir.filePath(name); }
    Http::Listener &listener() { return *m_listener; }
    Capture::Store &store() { return *m_store; }

    /// Every capture committed so far, in arrival order.
    QList<Http::CapturedRequest> captures()
    {
        m_store->flush();
        QList<Http::CapturedRequest> result;
        auto reader = Capture::StoreReader::open(m_store->path());
        if (!reader)
            return result;
        for (qint64 id : reader->ids()) {
            if (auto stored = reader->load(id))
                result.append(stored->request);
        }
        return result;
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Capture::Store> m_store;
    std::unique_ptr<Http::Listener> m_listener; // declared last: stops before the store closes
    QString m_error;
    quint16 m_port = 0;
};

/// Reads from socket until count responses arrived, the peer closed or the deadline passed.
inline QList<HttpResponse> readResponses(QAbstractSocket &socket, QByteArray &buffer, int count, int timeoutMs = answerTimeoutMs)
{
    QList<HttpResponse> responses;
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        buffer += socket.readAll();
        responses += takeResponses(buffer);
        if (responses.size() >= count || deadline.hasExpired())
            break;
        if (!socket.waitForReadyRead(int(qMin<qint64>(deadline.remainingTime(), 200)))
            && socket.state() != QAbstractSocket::ConnectedState) {
            buffer += socket.readAll();
            responses += takeResponses(buffer);
            break;
        }
    }
    return responses;
}

/// True once the peer closed the connection (within the deadline).
inline bool waitClosed(QAbstractSocket &socket, int timeoutMs = answerTimeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired())
        socket.waitForReadyRead(200);
    return socket.state() != QAbstractSocket::ConnectedState;
}

inline bool connectTo(QTcpSocket &socket, quint16 port)
{
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    return socket.waitForConnected(answerTimeoutMs);
}

/// One request on a fresh connection; the first response (status 0 when none came). With
/// closed, also waits for the listener to close the connection and says whether it did.
inline HttpResponse exchange(quint16 port, const QByteArray &request, bool *closed = nullptr)
{
    QTcpSocket socket;
    if (!connectTo(socket, port))
        return {};
    socket.write(request);
    QByteArray buffer;
    const QList<HttpResponse> responses = readResponses(socket, buffer, 1);
    if (closed)
        *closed = waitClosed(socket);
    return responses.value(0);
}

inline QByteArray get(const QByteArray &target)
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

inline QByteArray post(const QByteArray &target, const QByteArray &body)
{
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + QByteArray::number(body.size())
           + "\r\n\r\n" + body;
}

/// Waits until the listener counts exactly count open connections.
inline bool waitForConnections(const Http::Listener &listener, int count)
{
    QDeadlineTimer deadline(answerTimeoutMs);
    while (listener.stats().connections.load() != count && !deadline.hasExpired())
        QThread::msleep(10);
    return listener.stats().connections.load() == count;
}

QProcess *runCurl(QObject *parent, const QStringList &arguments)
{
    auto *curl = new QProcess(parent);
    curl->start(QStringLiteral("curl"), arguments);
    return curl;
}
