#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTest>

/// Runs the real hookscope executable for end-to-end tests.
struct CommandResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline CommandResult runHookscope(const QStringList &arguments, const QByteArray &input = {}, int timeoutMs = 30000)
{
    QProcess process;
    process.start(QStringLiteral(HOOKSCOPE_BINARY), arguments);
    if (!process.waitForStarted())
        return {};
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(timeoutMs);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

/// A `hookscope listen --port 0` process; port() is read from its first line.
class ListenProcess
{
public:
    explicit ListenProcess(QStringList arguments)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(QStringLiteral(HOOKSCOPE_BINARY), QStringList{QStringLiteral("listen"), QStringLiteral("--port"), QStringLiteral("0")} + arguments);
    }
    ~ListenProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

    /// Waits for "listening on URL" and returns the port (0 on failure).
    quint16 waitForPort()
    {
        QByteArray line;
        for (int i = 0; i < 100 && !line.contains('\n'); ++i) {
            m_process.waitForReadyRead(100);
            line += m_process.readAllStandardOutput();
        }
        const qsizetype newline = line.indexOf('\n');
        m_pending = line.mid(newline + 1);
        m_firstLine = line.left(newline);
        const qsizetype colon = m_firstLine.lastIndexOf(':');
        return quint16(m_firstLine.mid(colon + 1).chopped(1).toUInt());
    }
    QByteArray firstLine() const { return m_firstLine; }

    /// Reads stdout lines until count lines arrived (or timeout).
    QList<QByteArray> readLines(int count, int timeoutMs = 10000)
    {
        QElapsedTimer timer;
        timer.start();
        while (m_pending.count('\n') < count && timer.elapsed() < timeoutMs) {
            m_process.waitForReadyRead(50);
            m_pending += m_process.readAllStandardOutput();
        }
        QList<QByteArray> lines = m_pending.split('\n');
        lines.removeLast();
        m_pending = m_pending.mid(m_pending.lastIndexOf('\n') + 1);
        return lines;
    }

    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_firstLine;
    QByteArray m_pending;
};
