#include "endpointmanager.h"

#include "http/listener.h"

EndpointManager::EndpointManager(Capture::Store *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

EndpointManager::~EndpointManager()
{
    stop();
}

QStringList EndpointManager::start(const QList<EndpointConfig> &endpoints, const Http::ParserLimits &limits,
                                   const QString &dataDirectory)
{
    stop();
    QStringList errors;
    for (const EndpointConfig &config : endpoints) {
        Status status;
        status.config = config;
        if (config.enabled) {
            auto listener = std::make_unique<Http::Listener>(m_store);
            const auto started = listener->start(config.listenerOptions(limits, dataDirectory));
            if (started) {
                status.listening = true;
                status.url = listener->url();
                m_listeners.push_back(std::move(listener));
            } else {
                status.error = tr("%1 (%2:%3): %4").arg(config.name, config.bindAddress).arg(config.port).arg(started.error());
                errors.append(status.error);
            }
        }
        m_statuses.append(status);
    }
    Q_EMIT listeningChanged(isListening());
    return errors;
}

void EndpointManager::stop()
{
    const bool was = isListening();
    for (auto &listener : m_listeners)
        listener->stop();
    m_listeners.clear();
    m_statuses.clear();
    if (was)
        Q_EMIT listeningChanged(false);
}

bool EndpointManager::isListening() const
{
    return !m_listeners.empty();
}

QList<EndpointManager::Status> EndpointManager::statuses() const
{
    return m_statuses;
}

QUrl EndpointManager::primaryUrl() const
{
    for (const Status &status : m_statuses) {
        if (status.listening)
            return status.url;
    }
    return {};
}

qint64 EndpointManager::rejectedCount() const
{
    qint64 total = 0;
    for (const auto &listener : m_listeners)
        total += listener->stats().rejected.load();
    return total;
}
