#pragma once

// Minimal blocking HTTP clients for the listener tests: a response splitter and a raw POSIX
// socket (for what QTcpSocket cannot do: half-close, thousands of descriptors, other threads).

#include <QByteArray>
#include <QDeadlineTimer>
#include <QList>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

/// One response as the listener writes it (status line, headers, Content-Length body).
struct HttpResponse
{
    int status = 0;
    QByteArray head; // status line and header fields, with the empty line
    QByteArray body;

    bool closes() const { return head.contains("\r\nConnection: close\r\n"); }
};

/// Takes the complete responses off the front of buffer (1xx have no body, RFC 9110 §15.2).
inline QList<HttpResponse> takeResponses(QByteArray &buffer)
{
    QList<HttpResponse> responses;
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0 || !buffer.startsWith("HTTP/1.1 "))
            break;
        HttpResponse response;
        response.head = buffer.left(end + 4);
        response.status = response.head.mid(9, 3).toInt();
        qsizetype length = 0;
        const qsizetype field = response.head.indexOf("\r\nContent-Length: ");
        if (field >= 0 && response.status >= 200) {
            const qsizetype start = field + 18;
            length = response.head.mid(start, response.head.indexOf("\r\n", start) - start).toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            break;
        response.body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);
        responses.append(response);
    }
    return responses;
}

/// A blocking TCP client on a plain descriptor.
class RawSocket
{
public:
    RawSocket() = default;
    RawSocket(const RawSocket &) = delete;
    RawSocket &operator=(const RawSocket &) = delete;
    RawSocket(RawSocket &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    ~RawSocket() { close(); }

    /// Connects, blocking; with nonBlocking the descriptor stays non-blocking and connect()
    /// may still be in progress (wait for POLLOUT, then see connectError()).
    bool connectTo(quint16 port, bool nonBlocking = false)
    {
        close();
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0), 0);
        if (m_fd < 0)
            return false;
        const int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in address = {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return ::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0
               || (nonBlocking && errno == EINPROGRESS);
    }

    int connectError() const
    {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        return error;
    }

    int descriptor() const { return m_fd; }
    bool isOpen() const { return m_fd >= 0; }

    /// Writes everything (blocking); false once the peer is gone.
    bool send(QByteArrayView bytes)
    {
        qsizetype sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(m_fd, bytes.data() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            sent += n;
        }
        return true;
    }

    /// Writes what the socket takes now, without blocking; false once the peer is gone.
    bool sendSome(QByteArrayView bytes)
    {
        const ssize_t n = ::send(m_fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        return n >= 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    }

    void shutdownWrite() { ::shutdown(m_fd, SHUT_WR); }

    /// Reads what arrives within the deadline; stops early once until(received) holds or at EOF.
    template<typename Until>
    QByteArray readUntil(int timeoutMs, Until until)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!until(m_received) && !m_eof && !deadline.hasExpired()) {
            pollfd entry = {m_fd, POLLIN, 0};
            if (::poll(&entry, 1, int(qMin<qint64>(deadline.remainingTime(), 100))) <= 0)
                continue;
            readAvailable();
        }
        return m_received;
    }

    /// Reads until the peer closed (or the deadline passed); see atEof().
    QByteArray readToEnd(int timeoutMs)
    {
        return readUntil(timeoutMs, [](const QByteArray &) { return false; });
    }

    /// One non-blocking read; call when poll() says the descriptor is readable.
    void readAvailable()
    {
        char buffer[64 * 1024];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0)
            m_received.append(buffer, n);
        else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            m_eof = true;
    }

    const QByteArray &received() const { return m_received; }
    bool atEof() const { return m_eof; }

    /// Closes with a reset (RST) instead of a FIN.
    void resetClose()
    {
        const linger hard = {1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        close();
    }

    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
    QByteArray m_received;
    bool m_eof = false;
};
