#pragma once

#include "endpointconfig.h"

#include <QObject>
#include <QUrl>

#include <memory>
#include <vector>

namespace Capture { class Store; }
namespace Http { class Listener; }

/// Runs one Http::Listener per enabled endpoint, all writing to the same store; each capture
/// records the endpoint's name. A port that is taken fails that endpoint only, with a sentence.
class EndpointManager final : public QObject
{
    Q_OBJECT
public:
    struct Status
    {
        EndpointConfig config;
        bool listening = false;
        QUrl url;
        QString error;
    };

    explicit EndpointManager(Capture::Store *store, QObject *parent = nullptr);
    ~EndpointManager() override;

    /// Starts every enabled endpoint; returns the errors (empty: all listening).
    QStringList start(const QList<EndpointConfig> &endpoints, const Http::ParserLimits &limits,
                      const QString &dataDirectory);
    void stop();
    bool isListening() const;
    QList<Status> statuses() const;
    /// The first listening endpoint's URL (the toolbar shows it).
    QUrl primaryUrl() const;
    qint64 rejectedCount() const;

Q_SIGNALS:
    void listeningChanged(bool listening);

private:
    Capture::Store *m_store;
    std::vector<std::unique_ptr<Http::Listener>> m_listeners;
    QList<Status> m_statuses;
};
