#include "http/plaintransport.h"

#include <QSocketNotifier>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Http {

namespace {

constexpr qsizetype readChunk = 64 * 1024;

void addressOf(const sockaddr_storage &storage, QHostAddress *address, quint16 *port)
{
    address->setAddress(reinterpret_cast<const sockaddr *>(&storage));
    if (storage.ss_family == AF_INET)
        *port = ntohs(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
    else if (storage.ss_family == AF_INET6)
        *port = ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
}

} // namespace

PlainTransport::PlainTransport(int descriptor, QObject *parent)
    : Transport(parent)
    , m_fd(descriptor)
    , m_readNotifier(new QSocketNotifier(descriptor, QSocketNotifier::Read, this))
    , m_writeNotifier(new QSocketNotifier(descriptor, QSocketNotifier::Write, this))
{
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_storage storage = {};
    socklen_t length = sizeof storage;
    if (::getpeername(m_fd, reinterpret_cast<sockaddr *>(&storage), &length) == 0)
        addressOf(storage, &peerAddress, &peerPort);
    length = sizeof storage;
    if (::getsockname(m_fd, reinterpret_cast<sockaddr *>(&storage), &length) == 0)
        addressOf(storage, &localAddress, &localPort);

    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &PlainTransport::onReadable);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &PlainTransport::onWritable);
}

PlainTransport::~PlainTransport()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void PlainTransport::onReadable()
{
    // Read what is there now (bounded, so one busy client cannot starve the others).
    for (int round = 0; round < 16 && !m_closed; ++round) {
        QByteArray buffer(readChunk, Qt::Uninitialized);
        const ssize_t n = ::recv(m_fd, buffer.data(), size_t(buffer.size()), 0);
        if (n > 0) {
            if (m_closing)
                continue; // lingering: discard
            buffer.truncate(n);
            Q_EMIT received(buffer);
            if (n < readChunk)
                return;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        if (n < 0) {
            abort();
            return;
        }
        // EOF: the client finished sending. Answers may still go out (half-close).
        m_readNotifier->setEnabled(false);
        m_peerFinished = true;
        if (m_closing && m_shutDown) {
            finishClose();
            return;
        }
        Q_EMIT peerFinished();
        return;
    }
}

void PlainTransport::write(const QByteArray &bytes)
{
    if (m_closed || m_shutDown)
        return;
    if (m_outPos >= m_out.size()) {
        m_out.clear();
        m_outPos = 0;
        const ssize_t n = ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL);
        if (n == bytes.size())
            return;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            abort();
            return;
        }
        m_out = bytes.mid(qMax<qsizetype>(n, 0));
    } else {
        m_out.append(bytes);
    }
    m_writeNotifier->setEnabled(true);
}

void PlainTransport::onWritable()
{
    while (m_outPos < m_out.size()) {
        const ssize_t n = ::send(m_fd, m_out.constData() + m_outPos, size_t(m_out.size() - m_outPos), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno == EINTR)
                continue;
            abort();
            return;
        }
        m_outPos += n;
    }
    m_out.clear();
    m_outPos = 0;
    m_writeNotifier->setEnabled(false);
    if (m_closing)
        closeGracefully();
    else
        Q_EMIT allWritten();
}

void PlainTransport::closeGracefully()
{
    m_closing = true;
    if (m_closed || bytesToWrite() > 0)
        return; // onWritable() comes back here
    if (m_peerFinished) {
        finishClose();
        return;
    }
    // Half-close, then read and discard until the client closes too, so that our last answer
    // is not destroyed by a reset; the owner's timer aborts a client that never closes.
    if (!m_shutDown) {
        ::shutdown(m_fd, SHUT_WR);
        m_shutDown = true;
    }
}

void PlainTransport::abort()
{
    if (m_closed)
        return;
    // A reset rather than a graceful close.
    const linger hard = {1, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    finishClose();
}

void PlainTransport::finishClose()
{
    if (m_closed)
        return;
    m_closed = true;
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
    Q_EMIT closed();
}

} // namespace Http
