#include "cli/cli.h"

#include "cli/exportcommand.h"
#include "cli/importcommand.h"
#include "cli/listencommand.h"
#include "cli/sendcommand.h"
#include "cli/verifycommand.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>
#include <cstring>

namespace Cli {

namespace {

struct Command
{
    const char *name;
    int (*run)(const QStringList &arguments);
    const char *summary;
};

const Command commands[] = {
    {"listen", runListen, "capture webhooks on a local HTTP/HTTPS listener"},
    {"export", runExport, "write captures as raw HTTP, HAR, a curl script or JSON lines"},
    {"import", runImport, "store HAR entries or raw request files as verified captures"},
    {"verify", runVerify, "verify signatures and digests of raw request files"},
    {"send", runSend, "sign a sample webhook like the provider and POST it (emulator)"},
};

void printUsage(FILE *out)
{
    std::fputs("Usage: hookscope [COMMAND] [OPTIONS]\n"
               "Without a command, opens the Hookscope window.\n\nCommands:\n", out);
    for (const Command &command : commands)
        std::fprintf(out, "  %-8s %s\n", command.name, command.summary);
    std::fputs("\nOptions:\n  --version  print the version\n  --help     this text\n"
               "Run 'hookscope COMMAND --help' for a command's options.\n", out);
}

} // namespace

bool isHeadless(int argc, char **argv)
{
    // Everything but a bare start (or Qt's own GUI options such as -platform) runs headless.
    if (argc < 2)
        return false;
    const char *first = argv[1];
    if (std::strcmp(first, "--version") == 0 || std::strcmp(first, "--help") == 0 || std::strcmp(first, "-h") == 0)
        return true;
    return first[0] != '-';
}

int run(int argc, char **argv)
{
    // Headless, nothing needs the GLib main loop: Qt's own poll() dispatcher costs less per
    // socket event on the listener's thread. The user's explicit choice still wins.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("hookscope"));
    QCoreApplication::setOrganizationName(QStringLiteral("hookscope")); // as the window: same folders
    QCoreApplication::setApplicationVersion(QStringLiteral(HOOKSCOPE_VERSION));
    const QStringList arguments = QCoreApplication::arguments();
    const QString name = arguments.value(1);
    if (name == QLatin1String("--version")) {
        std::printf("hookscope %s\n", HOOKSCOPE_VERSION);
        return 0;
    }
    if (name == QLatin1String("--help") || name == QLatin1String("-h") || name == QLatin1String("help")) {
        printUsage(stdout);
        return 0;
    }
    for (const Command &command : commands) {
        if (name == QLatin1String(command.name))
            return command.run(arguments.mid(2));
    }
    std::fprintf(stderr, "hookscope: unknown command '%s' (try hookscope --help)\n", qPrintable(name));
    return 2;
}

} // namespace Cli
