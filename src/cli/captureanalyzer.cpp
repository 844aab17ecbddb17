#include "cli/captureanalyzer.h"

namespace Cli {

struct CaptureAnalyzer::Private
{
};

std::expected<std::unique_ptr<CaptureAnalyzer>, QString>
CaptureAnalyzer::create(const QStringList &keySources, const QStringList &secrets, const QString &policy, bool allowHttpKeys)
{
    Q_UNUSED(keySources);
    Q_UNUSED(secrets);
    Q_UNUSED(policy);
    Q_UNUSED(allowHttpKeys);
    return std::unique_ptr<CaptureAnalyzer>(new CaptureAnalyzer(std::make_unique<Private>()));
}

CaptureAnalyzer::CaptureAnalyzer(std::unique_ptr<Private> d)
    : d(std::move(d))
{
}

CaptureAnalyzer::~CaptureAnalyzer() = default;

void CaptureAnalyzer::analyze(const Capture::CapturePtr &capture)
{
    Capture::Annotation annotation;
    annotation.id = capture->id;
    annotation.verdict = capture->isRejected() ? Capture::Verdict::Rejected : Capture::Verdict::Pending;
    Q_EMIT analyzed(capture, annotation, {}, {});
}

} // namespace Cli
