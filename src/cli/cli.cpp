#include "cli.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstring>

namespace Cli {

bool isHeadless(int argc, char **argv)
{
    return argc > 1 && argv[1][0] != '\0';
}

int run(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream(stdout) << "hookscope " << HOOKSCOPE_VERSION << '\n';
    return 0;
}

} // namespace Cli
