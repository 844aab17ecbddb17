#pragma once

#include <QObject>

class QSocketNotifier;

namespace Cli {

/// Turns SIGINT and SIGTERM into a Qt signal on the event loop (self-pipe; the handler only
/// writes one byte).
class SignalWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Cli
