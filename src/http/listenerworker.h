#pragma once

#include "http/listeneroptions.h"

#include <QHash>
#include <QObject>
#include <QSslConfiguration>

#include <memory>

class QTimer;

namespace Capture { class Store; }

namespace Http {

class Connection;
struct ListenerStats;

/// Owns the connections of one listener thread and the timer that enforces their timeouts.
class ListenerWorker final : public QObject
{
    Q_OBJECT
public:
    ListenerWorker(const ListenerOptions &options, const std::optional<QSslConfiguration> &tls,
                   Capture::Store *store, std::shared_ptr<ListenerStats> stats);
    ~ListenerWorker() override;

    /// Takes over an accepted socket descriptor (called on this worker's thread).
    void adopt(qintptr descriptor);
    /// Stop reading new requests on every connection; each closes once answered.
    void drain();
    /// Closes every connection at once.
    void closeAll();
    int connectionCount() const { return int(m_connections.size()); }

    const ListenerOptions &options() const { return m_options; }
    Capture::Store *store() const { return m_store; }
    ListenerStats &stats() const { return *m_stats; }
    /// The answer to a stored capture, made once: keep-alive, or closing.
    const QByteArray &answer() const { return m_answer; }
    const QByteArray &answerAndClose() const { return m_answerAndClose; }
    /// Routes the store's completion (from the writer thread) back to the connection.
    void postStored(quint64 connectionId, quint64 sequence, qint64 captureId, const QString &error);
    void connectionClosed(Connection *connection);

private:
    ListenerOptions m_options;
    std::optional<QSslConfiguration> m_tls;
    Capture::Store *m_store;
    std::shared_ptr<ListenerStats> m_stats;
    QHash<quint64, Connection *> m_connections;
    quint64 m_nextConnectionId = 1;
    QTimer *m_timer;
    QByteArray m_answer;
    QByteArray m_answerAndClose;
};

} // namespace Http
