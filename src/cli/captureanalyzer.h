#pragma once

#include "capture/store.h"

#include <QJsonObject>
#include <QObject>

#include <expected>
#include <memory>

namespace Cli {

/// Verifies and decodes stored captures off the accept path (its own thread), for `listen`.
class CaptureAnalyzer final : public QObject
{
    Q_OBJECT
public:
    static std::expected<std::unique_ptr<CaptureAnalyzer>, QString>
    create(const QStringList &keySources, const QStringList &secrets, const QString &policy, bool allowHttpKeys);
    ~CaptureAnalyzer() override;

    void analyze(const Capture::CapturePtr &capture);

Q_SIGNALS:
    void analyzed(const Capture::CapturePtr &capture, const Capture::Annotation &annotation,
                  const QJsonObject &verification, const QJsonObject &event);

private:
    struct Private;
    explicit CaptureAnalyzer(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

} // namespace Cli
