#pragma once

#include "http/listeneroptions.h"

#include <QStringList>

#include <expected>

namespace Cli {

/// Everything `hookscope listen` was asked for, filled from the command line.
struct ListenCommandOptions
{
    Http::ListenerOptions listener;
    QString storePath;
    QStringList keySources;   // --jwks
    QStringList secrets;      // --secret KEYID=SECRET
    QString policy = QStringLiteral("strict");
    bool json = false;
    bool fullSync = false;
    bool allowHttpKeys = false;
};

/// Parses the arguments after "listen"; the error is one line naming the problem.
std::expected<ListenCommandOptions, QString> parseListenArguments(const QStringList &arguments);

/// Runs `hookscope listen` until SIGINT/SIGTERM; returns the exit code.
int runListen(const QStringList &arguments);

} // namespace Cli
