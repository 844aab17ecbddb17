#include "http/listener.h"

#include "capture/store.h"
#include "http/acceptserver.h"
#include "http/listenerworker.h"
#include "http/tlsconfiguration.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QThread>

#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcListener, "hookscope.http")

namespace Http {

namespace {

// Runs f on object's thread and waits for it; directly when that is this thread or when the
// thread has already stopped (the store was closed first), where waiting would never end.
template <typename F>
void runOn(QObject *object, F f)
{
    QThread *thread = object->thread();
    if (thread == QThread::currentThread() || !thread->isRunning())
        f();
    else
        QMetaObject::invokeMethod(object, std::move(f), Qt::BlockingQueuedConnection);
}

} // namespace

Listener::Listener(Capture::Store *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_stats(std::make_shared<ListenerStats>())
{
}

Listener::~Listener()
{
    stop(0);
}

QUrl Listener::url() const
{
    QUrl url;
    url.setScheme(m_options.tls == TlsMode::None ? QStringLiteral("http") : QStringLiteral("https"));
    url.setHost(m_options.bindAddress.toString());
    url.setPort(m_port);
    url.setPath(QStringLiteral("/"));
    return url;
}

std::expected<void, QString> Listener::start(const ListenerOptions &options)
{
    if (m_listening)
        return std::unexpected(QStringLiteral("already listening"));
    if (!m_store->writerThread()->isRunning())
        return std::unexpected(QStringLiteral("the capture store is closed"));
    m_options = options;
    std::optional<QSslConfiguration> tls;
    if (options.tls != TlsMode::None) {
        if (!QSslSocket::supportsSsl())
            return std::unexpected(QStringLiteral("this Qt build has no TLS backend"));
        auto config = serverTlsConfiguration(options);
        if (!config)
            return std::unexpected(config.error());
        tls = *config;
    }

    // The first worker serves its connections on the store's writer thread: the captures of one
    // round of socket events are committed together and answered without crossing a thread.
    // More workers (for TLS handshakes, say) get threads of their own.
    const int count = qMax(1, options.workerThreads);
    for (int i = 0; i < count; ++i) {
        auto *worker = new ListenerWorker(options, tls, m_store, m_stats);
        if (i == 0) {
            worker->moveToThread(m_store->writerThread());
        } else {
            auto *thread = new QThread;
            thread->setObjectName(QStringLiteral("listener-%1").arg(i));
            worker->moveToThread(thread);
            connect(thread, &QThread::finished, worker, &QObject::deleteLater);
            thread->start();
            m_threads.push_back(thread);
        }
        m_workers.push_back(worker);
    }

    // The accepting server lives on the first worker thread; accepted descriptors are spread
    // over the workers round-robin.
    QString error;
    runOn(m_workers.front(), [this, &error] {
        auto next = std::make_shared<size_t>(0);
        m_server = new AcceptServer([this, next](qintptr descriptor) {
            if (m_stats->connections.load() >= m_options.maxConnections) {
                // Over the limit: a short answer and close, without a parser or a worker. An
                // HTTPS client would read plain text as a broken TLS record: it is just closed.
                static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                if (m_options.tls == TlsMode::None)
                    [[maybe_unused]] auto written = ::send(int(descriptor), busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
                ::close(int(descriptor));
                return;
            }
            m_stats->connections.fetch_add(1);
            ListenerWorker *worker = m_workers[(*next)++ % m_workers.size()];
            QMetaObject::invokeMethod(worker, [worker, descriptor] { worker->adopt(descriptor); });
        });
        // The kernel's accept queue, not Qt's pending list (incomingConnection() takes every
        // descriptor at once). With Qt's default of 50, a burst of connections overflows it and
        // Linux drops the handshake's last ACK: those clients believe they are connected but
        // the server sees them only after SYN-ACK retransmissions, seconds to a minute later.
        m_server->setListenBacklogSize(qMax(m_options.maxConnections, 128));
        if (!m_server->listen(m_options.bindAddress, m_options.port)) {
            error = QStringLiteral("cannot listen on %1:%2: %3")
                        .arg(m_options.bindAddress.toString()).arg(m_options.port).arg(m_server->errorString());
            delete m_server;
            m_server = nullptr;
            return;
        }
        m_port = m_server->serverPort();
    });

    if (!error.isEmpty()) {
        stop(0);
        return std::unexpected(error);
    }
    m_listening = true;
    qCInfo(lcListener) << "listening on" << url().toString();
    Q_EMIT listeningChanged(true);
    return {};
}

void Listener::stop(int graceMs)
{
    if (m_workers.empty())
        return;
    if (m_server) {
        runOn(m_workers.front(), [this] {
            m_server->close();
            delete m_server;
            m_server = nullptr;
        });
    }
    if (graceMs > 0) {
        for (ListenerWorker *worker : m_workers)
            runOn(worker, [worker] { worker->drain(); });
        m_store->flush();
        QElapsedTimer timer;
        timer.start();
        while (m_stats->connections.load() > 0 && timer.elapsed() < graceMs)
            QThread::msleep(10);
    }
    for (ListenerWorker *worker : m_workers)
        runOn(worker, [worker] { worker->closeAll(); });
    // The store's completion callbacks hold raw worker pointers: let every one of them run
    // before the workers are deleted. No connection is left to append anything new.
    m_store->flush();
    // The worker on the store's thread is deleted there; the others go with their threads.
    ListenerWorker *first = m_workers.front();
    runOn(first, [first] { delete first; });
    for (QThread *thread : m_threads) {
        thread->quit();
        thread->wait();
        delete thread;
    }
    m_threads.clear();
    m_workers.clear();
    const bool was = m_listening;
    m_listening = false;
    if (was)
        Q_EMIT listeningChanged(false);
}

} // namespace Http
