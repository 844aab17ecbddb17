#pragma once

#include "endpointconfig.h"
#include "http/requestparser.h"

#include <QObject>
#include <QSettings>

#include <memory>

/// Every user setting, typed, over QSettings (the only place that touches QSettings). Tests and
/// benchmarks pass an ini file so they never read or write the user's configuration.
class Settings final : public QObject
{
    Q_OBJECT
public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    /// iniFile empty: the platform's per-user location.
    explicit Settings(const QString &iniFile = {}, QObject *parent = nullptr);
    ~Settings() override;

    /// The capture store file; empty means Capture::defaultStorePath().
    QString storePath() const;
    void setStorePath(const QString &path);
    QString effectiveStorePath() const;

    QList<EndpointConfig> endpoints() const; // never empty: a default on 127.0.0.1:8080
    void setEndpoints(const QList<EndpointConfig> &endpoints);
    bool listenAtStartup() const;
    void setListenAtStartup(bool listen);

    Http::ParserLimits limits() const;
    void setLimits(const Http::ParserLimits &limits);
    int defaultResponseStatus() const;
    void setDefaultResponseStatus(int status);
    QString defaultPolicy() const;
    void setDefaultPolicy(const QString &policy);

    int retentionMaxCaptures() const; // 0: unlimited
    void setRetentionMaxCaptures(int count);
    int retentionMaxAgeDays() const;  // 0: unlimited
    void setRetentionMaxAgeDays(int days);

    Theme theme() const;
    void setTheme(Theme theme);
    bool followNewest() const;
    void setFollowNewest(bool follow);
    QString lastFilter() const;
    void setLastFilter(const QString &filter);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    QByteArray splitterState() const;
    QByteArray headerState() const;
    void saveWindow(const QByteArray &geometry, const QByteArray &state, const QByteArray &splitter,
                    const QByteArray &header);

    void sync();

Q_SIGNALS:
    void storePathChanged();
    void endpointsChanged();
    void themeChanged(Settings::Theme theme);
    /// Limits, default response, policy or retention changed.
    void verificationSettingsChanged();

private:
    QVariant value(const QString &key, const QVariant &fallback = {}) const;
    bool setValue(const QString &key, const QVariant &value); // true when it changed

    std::unique_ptr<QSettings> m_settings;
};
