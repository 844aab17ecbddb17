#include "events/profilecatalog.h"

#include "events/eventslogging.h"
#include "events/profileparser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace Events {

QString ProfileCatalog::builtinFolder()
{
    return QStringLiteral(":/providers");
}

QString ProfileCatalog::userFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/providers");
}

ProfileCatalog ProfileCatalog::standard(QList<ProfileError> *errors)
{
    ProfileCatalog catalog;
    QList<ProfileError> problems = catalog.loadFolder(builtinFolder());
    problems += catalog.loadFolder(userFolder());
    for (const ProfileError &problem : std::as_const(problems))
        qCWarning(lcEvents).noquote() << problem.toString();
    if (errors)
        *errors = problems;
    return catalog;
}

QList<ProfileError> ProfileCatalog::loadFolder(const QString &folder)
{
    QList<ProfileError> errors;
    const QDir dir(folder);
    const QStringList names = dir.entryList({QStringLiteral("*.json")}, QDir::Files | QDir::Readable, QDir::Name);
    for (const QString &name : names) {
        const auto loaded = loadFile(dir.filePath(name));
        if (!loaded)
            errors.append(loaded.error());
    }
    return errors;
}

std::expected<ProviderProfile, ProfileError> ProfileCatalog::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ProfileError error;
        error.code = QStringLiteral("unreadable-file");
        error.file = path;
        error.message = QStringLiteral("cannot read the file: %1").arg(file.errorString());
        return std::unexpected(error);
    }
    return addProfile(file.readAll(), path);
}

std::expected<ProviderProfile, ProfileError> ProfileCatalog::addProfile(QByteArrayView json, const QString &source)
{
    auto parsed = ProfileParser::parse(json, source);
    if (!parsed)
        return parsed;
    parsed->builtin = source.startsWith(QStringLiteral(":/"));
    insert(*parsed);
    return parsed;
}

std::expected<QString, ProfileError> ProfileCatalog::installFile(const QString &path, const QString &folder)
{
    QFile file(path);
    ProfileError error;
    error.file = path;
    error.code = QStringLiteral("unreadable-file");
    if (!file.open(QIODevice::ReadOnly)) {
        error.message = QStringLiteral("cannot read the file: %1").arg(file.errorString());
        return std::unexpected(error);
    }
    const QByteArray json = file.readAll();
    const QString target = QDir(folder).filePath(QFileInfo(path).fileName());
    auto parsed = ProfileParser::parse(json, path);
    if (!parsed)
        return std::unexpected(parsed.error());
    QFile copy(target);
    if (!QDir().mkpath(folder) || !copy.open(QIODevice::WriteOnly | QIODevice::Truncate) || copy.write(json) != json.size()) {
        error.file = target;
        error.message = QStringLiteral("cannot write the profile into %1: %2").arg(folder, copy.errorString());
        return std::unexpected(error);
    }
    parsed->source = target;
    insert(*parsed);
    return target;
}

const ProviderProfile *ProfileCatalog::profile(QStringView id) const
{
    for (const ProviderProfile &profile : m_profiles) {
        if (profile.id == id)
            return &profile;
    }
    return nullptr;
}

void ProfileCatalog::insert(ProviderProfile profile)
{
    for (ProviderProfile &existing : m_profiles) {
        if (existing.id == profile.id) {
            qCInfo(lcEvents).noquote() << "provider profile" << profile.id << "from" << profile.source
                                       << "replaces the one from" << existing.source;
            existing = std::move(profile);
            return;
        }
    }
    m_profiles.append(std::move(profile));
}

} // namespace Events
