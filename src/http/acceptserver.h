#pragma once

#include <QTcpServer>

#include <functional>

namespace Http {

/// Hands each accepted descriptor to a callback, so that connections are created on the
/// worker threads rather than on the accepting one (TLS is started there too).
class AcceptServer final : public QTcpServer
{
    Q_OBJECT
public:
    using Handler = std::function<void(qintptr descriptor)>;
    explicit AcceptServer(Handler handler, QObject *parent = nullptr)
        : QTcpServer(parent)
        , m_handler(std::move(handler))
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override { m_handler(descriptor); }

private:
    Handler m_handler;
};

} // namespace Http
