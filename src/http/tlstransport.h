#pragma once

#include "http/transport.h"

class QSslConfiguration;
class QSslSocket;

namespace Http {

/// An HTTPS connection: QSslSocket in server mode over an accepted descriptor.
class TlsTransport final : public Transport
{
    Q_OBJECT
public:
    TlsTransport(int descriptor, const QSslConfiguration &configuration, QObject *parent = nullptr);

    void write(const QByteArray &bytes) override;
    qint64 bytesToWrite() const override;
    void closeGracefully() override;
    void abort() override;
    bool isReady() const override { return m_encrypted; }

private:
    QSslSocket *m_socket;
    bool m_encrypted = false;
    bool m_closing = false;
    bool m_closed = false;
};

} // namespace Http
