#include "events/profileerror.h"

namespace Events {

QString ProfileError::toString() const
{
    QString where = file;
    if (line > 0)
        where += u':' + QString::number(line) + u':' + QString::number(column);
    if (!path.isEmpty())
        where += QStringLiteral(": ") + path;
    return where + QStringLiteral(": ") + message;
}

} // namespace Events
