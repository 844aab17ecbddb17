#include "events/samples.h"

#include "events/providerprofile.h"

#include <QDir>
#include <QFile>

namespace Events {

static const auto sampleSuffix = QStringLiteral(".example.json");

QStringList sampleNames()
{
    QStringList names;
    const QStringList files = QDir(QStringLiteral(":/samples")).entryList({QStringLiteral("*.example.json")}, QDir::Files, QDir::Name);
    for (const QString &file : files)
        names.append(file.chopped(sampleSuffix.size()));
    return names;
}

std::expected<QByteArray, QString> samplePayload(const QString &eventName)
{
    const QString wanted = normalizedName(eventName);
    const QStringList names = sampleNames();
    for (const QString &name : names) {
        if (normalizedName(name) != wanted)
            continue;
        QFile file(QStringLiteral(":/samples/") + name + sampleSuffix);
        if (file.open(QIODevice::ReadOnly))
            return file.readAll();
    }
    return std::unexpected(QStringLiteral("no sample payload for the event \"%1\" (known: %2)")
                               .arg(eventName, names.join(QStringLiteral(", "))));
}

} // namespace Events
