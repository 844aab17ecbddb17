#pragma once

#include "http/listeneroptions.h"

#include <QObject>
#include <QUrl>

#include <atomic>
#include <expected>
#include <memory>
#include <vector>

class QThread;
class QSslConfiguration;

namespace Capture { class Store; }

namespace Http {

class AcceptServer;
class ListenerWorker;

/// Live counters of a listener, readable from any thread.
struct ListenerStats
{
    std::atomic<int> connections = 0;
    std::atomic<qint64> requests = 0;
    std::atomic<qint64> rejected = 0;
};

/// One HTTP or HTTPS endpoint: accepts connections on its own threads, parses requests with
/// RequestParser, hands every request (accepted or rejected) to the capture store and answers
/// a 2xx only once the store has committed it.
class Listener final : public QObject
{
    Q_OBJECT
public:
    explicit Listener(Capture::Store *store, QObject *parent = nullptr);
    ~Listener() override;

    /// Binds and starts accepting; blocks until listening or failed.
    std::expected<void, QString> start(const ListenerOptions &options);
    /// Stops accepting, lets requests in flight finish (at most graceMs), closes everything.
    void stop(int graceMs = 2000);

    bool isListening() const { return m_listening; }
    QUrl url() const;
    const ListenerOptions &options() const { return m_options; }
    const ListenerStats &stats() const { return *m_stats; }

Q_SIGNALS:
    void listeningChanged(bool listening);

private:
    Capture::Store *m_store;
    ListenerOptions m_options;
    std::shared_ptr<ListenerStats> m_stats;
    std::vector<QThread *> m_threads;
    std::vector<ListenerWorker *> m_workers;
    AcceptServer *m_server = nullptr;
    quint16 m_port = 0;
    bool m_listening = false;
};

} // namespace Http
