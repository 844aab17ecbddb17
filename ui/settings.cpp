#include "settings.h"

#include "capture/paths.h"

#include <QJsonArray>
#include <QJsonDocument>

Settings::Settings(const QString &iniFile, QObject *parent)
    : QObject(parent)
    , m_settings(iniFile.isEmpty() ? std::make_unique<QSettings>()
                                   : std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{
}

Settings::~Settings() = default;

QVariant Settings::value(const QString &key, const QVariant &fallback) const
{
    return m_settings->value(key, fallback);
}

bool Settings::setValue(const QString &key, const QVariant &value)
{
    if (m_settings->contains(key) && m_settings->value(key) == value)
        return false;
    m_settings->setValue(key, value);
    return true;
}

void Settings::sync()
{
    m_settings->sync();
}

QString Settings::storePath() const
{
    return value(QStringLiteral("store/path")).toString();
}

void Settings::setStorePath(const QString &path)
{
    if (setValue(QStringLiteral("store/path"), path))
        Q_EMIT storePathChanged();
}

QString Settings::effectiveStorePath() const
{
    const QString path = storePath();
    return path.isEmpty() ? Capture::defaultStorePath() : path;
}

QList<EndpointConfig> Settings::endpoints() const
{
    QList<EndpointConfig> result;
    const QJsonArray array = QJsonDocument::fromJson(value(QStringLiteral("endpoints/list")).toByteArray()).array();
    for (const QJsonValue &item : array)
        result.append(EndpointConfig::fromJson(item.toObject()));
    if (result.isEmpty()) {
        EndpointConfig fallback;
        fallback.responseStatus = defaultResponseStatus();
        fallback.policy = defaultPolicy();
        result.append(fallback);
    }
    return result;
}

void Settings::setEndpoints(const QList<EndpointConfig> &endpoints)
{
    QJsonArray array;
    for (const EndpointConfig &endpoint : endpoints)
        array.append(endpoint.toJson());
    if (setValue(QStringLiteral("endpoints/list"), QJsonDocument(array).toJson(QJsonDocument::Compact)))
        Q_EMIT endpointsChanged();
}

bool Settings::listenAtStartup() const
{
    return value(QStringLiteral("endpoints/listenAtStartup"), true).toBool();
}

void Settings::setListenAtStartup(bool listen)
{
    setValue(QStringLiteral("endpoints/listenAtStartup"), listen);
}

Http::ParserLimits Settings::limits() const
{
    Http::ParserLimits limits;
    limits.maxBody = value(QStringLiteral("limits/maxBody"), limits.maxBody).toLongLong();
    limits.maxHeaderBytes = value(QStringLiteral("limits/maxHeaderBytes"), qint64(limits.maxHeaderBytes)).toLongLong();
    limits.maxHeaderFields = value(QStringLiteral("limits/maxHeaderFields"), limits.maxHeaderFields).toInt();
    return limits;
}

void Settings::setLimits(const Http::ParserLimits &limits)
{
    bool changed = setValue(QStringLiteral("limits/maxBody"), limits.maxBody);
    changed |= setValue(QStringLiteral("limits/maxHeaderBytes"), qint64(limits.maxHeaderBytes));
    changed |= setValue(QStringLiteral("limits/maxHeaderFields"), limits.maxHeaderFields);
    if (changed)
        Q_EMIT verificationSettingsChanged();
}

int Settings::defaultResponseStatus() const
{
    return value(QStringLiteral("response/status"), 200).toInt();
}

void Settings::setDefaultResponseStatus(int status)
{
    if (setValue(QStringLiteral("response/status"), status))
        Q_EMIT verificationSettingsChanged();
}

QString Settings::defaultPolicy() const
{
    return value(QStringLiteral("verify/policy"), QStringLiteral("strict")).toString();
}

void Settings::setDefaultPolicy(const QString &policy)
{
    if (setValue(QStringLiteral("verify/policy"), policy))
        Q_EMIT verificationSettingsChanged();
}

int Settings::retentionMaxCaptures() const
{
    return value(QStringLiteral("retention/maxCaptures"), 0).toInt();
}

void Settings::setRetentionMaxCaptures(int count)
{
    if (setValue(QStringLiteral("retention/maxCaptures"), count))
        Q_EMIT verificationSettingsChanged();
}

int Settings::retentionMaxAgeDays() const
{
    return value(QStringLiteral("retention/maxAgeDays"), 0).toInt();
}

void Settings::setRetentionMaxAgeDays(int days)
{
    if (setValue(QStringLiteral("retention/maxAgeDays"), days))
        Q_EMIT verificationSettingsChanged();
}

Settings::Theme Settings::theme() const
{
    const QString name = value(QStringLiteral("ui/theme")).toString();
    if (name == QLatin1StringView("light"))
        return Theme::Light;
    if (name == QLatin1StringView("dark"))
        return Theme::Dark;
    return Theme::System;
}

void Settings::setTheme(Theme theme)
{
    const QString name = theme == Theme::Light ? QStringLiteral("light") : theme == Theme::Dark ? QStringLiteral("dark")
                                                                                               : QStringLiteral("system");
    if (setValue(QStringLiteral("ui/theme"), name))
        Q_EMIT themeChanged(theme);
}

bool Settings::followNewest() const
{
    return value(QStringLiteral("ui/followNewest"), true).toBool();
}

void Settings::setFollowNewest(bool follow)
{
    setValue(QStringLiteral("ui/followNewest"), follow);
}

QString Settings::lastFilter() const
{
    return value(QStringLiteral("ui/filter")).toString();
}

void Settings::setLastFilter(const QString &filter)
{
    setValue(QStringLiteral("ui/filter"), filter);
}

QByteArray Settings::windowGeometry() const
{
    return value(QStringLiteral("window/geometry")).toByteArray();
}

QByteArray Settings::windowState() const
{
    return value(QStringLiteral("window/state")).toByteArray();
}

QByteArray Settings::splitterState() const
{
    return value(QStringLiteral("window/splitter")).toByteArray();
}

QByteArray Settings::headerState() const
{
    return value(QStringLiteral("window/listHeader")).toByteArray();
}

void Settings::saveWindow(const QByteArray &geometry, const QByteArray &state, const QByteArray &splitter,
                          const QByteArray &header)
{
    setValue(QStringLiteral("window/geometry"), geometry);
    setValue(QStringLiteral("window/state"), state);
    setValue(QStringLiteral("window/splitter"), splitter);
    setValue(QStringLiteral("window/listHeader"), header);
}
