#include "http/listenerworker.h"

#include "http/connection.h"
#include "http/listener.h"

#include <QDateTime>
#include "http/plaintransport.h"
#include "http/tlstransport.h"
#include <QThread>
#include <QTimer>

namespace Http {

ListenerWorker::ListenerWorker(const ListenerOptions &options, const std::optional<QSslConfiguration> &tls,
                               Capture::Store *store, std::shared_ptr<ListenerStats> stats)
    : m_options(options)
    , m_tls(tls)
    , m_store(store)
    , m_stats(std::move(stats))
    , m_timer(new QTimer(this))
    , m_answer(answerBytes(options.responseStatus, false))
    , m_answerAndClose(answerBytes(options.responseStatus, true))
{
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, [this] {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QList<Connection *> connections = m_connections.values();
        for (Connection *connection : connections) {
            if (m_connections.contains(connection->id()))
                connection->checkTimeouts(now);
        }
    });
}

ListenerWorker::~ListenerWorker()
{
    closeAll();
}

void ListenerWorker::adopt(qintptr descriptor)
{
    if (!m_timer->isActive())
        m_timer->start();
    Transport *transport = m_tls ? static_cast<Transport *>(new TlsTransport(int(descriptor), *m_tls))
                                 : new PlainTransport(int(descriptor));
    const quint64 id = m_nextConnectionId++;
    auto *connection = new Connection(id, transport, this);
    m_connections.insert(id, connection);
}

void ListenerWorker::postStored(quint64 connectionId, quint64 sequence, qint64 captureId, const QString &error)
{
    if (QThread::currentThread() == thread()) {
        // This worker lives on the store's writer thread: answer right after the commit.
        if (Connection *connection = m_connections.value(connectionId))
            connection->captureStored(sequence, captureId, error);
        return;
    }
    QMetaObject::invokeMethod(this, [this, connectionId, sequence, captureId, error] {
        if (Connection *connection = m_connections.value(connectionId))
            connection->captureStored(sequence, captureId, error);
    }, Qt::QueuedConnection);
}

void ListenerWorker::connectionClosed(Connection *connection)
{
    if (m_connections.remove(connection->id()) == 0)
        return;
    m_stats->connections.fetch_sub(1);
    connection->deleteLater();
}

void ListenerWorker::drain()
{
    const QList<Connection *> connections = m_connections.values();
    for (Connection *connection : connections)
        connection->drain();
}

void ListenerWorker::closeAll()
{
    const QList<Connection *> connections = m_connections.values();
    m_connections.clear();
    for (Connection *connection : connections) {
        m_stats->connections.fetch_sub(1);
        delete connection;
    }
    m_timer->stop();
}

} // namespace Http
