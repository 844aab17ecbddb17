#pragma once

#include "http/transport.h"

class QSocketNotifier;

namespace Http {

/// A plain TCP connection on a non-blocking descriptor with its own notifiers.
class PlainTransport final : public Transport
{
    Q_OBJECT
public:
    explicit PlainTransport(int descriptor, QObject *parent = nullptr);
    ~PlainTransport() override;

    void write(const QByteArray &bytes) override;
    qint64 bytesToWrite() const override { return m_out.size() - m_outPos; }
    void closeGracefully() override;
    void abort() override;

private:
    void onReadable();
    void onWritable();
    void finishClose();

    int m_fd;
    QSocketNotifier *m_readNotifier;
    QSocketNotifier *m_writeNotifier;
    QByteArray m_out;
    qsizetype m_outPos = 0;
    bool m_closing = false;
    bool m_shutDown = false;
    bool m_peerFinished = false;
    bool m_closed = false;
};

} // namespace Http
