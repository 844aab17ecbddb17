#include "capture/paths.h"

#include <QStandardPaths>

namespace Capture {

QString dataDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/hookscope");
}

QString defaultStorePath()
{
    return dataDirectory() + QStringLiteral("/captures.sqlite");
}

} // namespace Capture
