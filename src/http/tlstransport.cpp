#include "http/tlstransport.h"

#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>

namespace Http {

TlsTransport::TlsTransport(int descriptor, const QSslConfiguration &configuration, QObject *parent)
    : Transport(parent)
    , m_socket(new QSslSocket(this))
{
    auto finish = [this] {
        if (m_closed)
            return;
        if (!m_closing && m_encrypted) {
            // The peer left on its own. TLS has no half-close to answer into, but the
            // connection still records a request cut short, as it does on plain TCP.
            m_closing = true;
            Q_EMIT peerFinished();
            if (m_closed)
                return;
        }
        m_closed = true;
        Q_EMIT closed();
    };
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_encrypted = true;
        switch (m_socket->sessionProtocol()) {
        case QSsl::TlsV1_2: tlsProtocol = QStringLiteral("TLSv1.2"); break;
        case QSsl::TlsV1_3: tlsProtocol = QStringLiteral("TLSv1.3"); break;
        default: tlsProtocol = QStringLiteral("TLS"); break;
        }
        tlsCipher = m_socket->sessionCipher().name();
        if (m_socket->bytesAvailable() > 0)
            Q_EMIT received(m_socket->readAll());
    });
    connect(m_socket, &QSslSocket::readyRead, this, [this] {
        const QByteArray bytes = m_socket->readAll();
        if (m_encrypted && !m_closing && !bytes.isEmpty())
            Q_EMIT received(bytes);
    });
    connect(m_socket, &QSslSocket::bytesWritten, this, [this] {
        if (m_socket->bytesToWrite() > 0 || m_socket->encryptedBytesToWrite() > 0)
            return;
        if (m_closing)
            m_socket->disconnectFromHost();
        else
            Q_EMIT allWritten();
    });
    connect(m_socket, &QSslSocket::disconnected, this, finish);
    connect(m_socket, &QSslSocket::errorOccurred, this, [this, finish](QAbstractSocket::SocketError) {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            finish();
    });
    connect(m_socket, &QSslSocket::sslErrors, this, [this] { abort(); });

    m_socket->setSocketDescriptor(descriptor);
    peerAddress = m_socket->peerAddress();
    peerPort = m_socket->peerPort();
    localAddress = m_socket->localAddress();
    localPort = m_socket->localPort();
    m_socket->setSslConfiguration(configuration);
    m_socket->startServerEncryption();
}

void TlsTransport::write(const QByteArray &bytes)
{
    if (!m_closed && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(bytes);
}

qint64 TlsTransport::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void TlsTransport::closeGracefully()
{
    m_closing = true;
    if (m_socket->bytesToWrite() == 0)
        m_socket->disconnectFromHost();
}

void TlsTransport::abort()
{
    m_closing = true; // our own doing: no peerFinished()
    m_socket->abort();
    if (!m_closed) {
        m_closed = true;
        Q_EMIT closed();
    }
}

} // namespace Http
