#include "cli/captureanalyzer.h"

#include "cli/keyarguments.h"
#include "events/profilecatalog.h"
#include "verify/jsonwriter.h"
#include "verify/keysource.h"
#include "verify/verifier.h"

#include <QJsonDocument>
#include <QLoggingCategory>

#include <cstdio>
#include <mutex>

Q_LOGGING_CATEGORY(lcAnalysis, "hookscope.analysis")

namespace Cli {

struct CaptureAnalyzer::Private
{
    mutable std::mutex mutex;
    std::shared_ptr<const Verify::Verifier> verifier;
    Events::Decoder decoder;
    // The lifecycle of every entity seen so far (coupon, conversation): retries, out-of-order
    // arrival and forbidden repeats are reported with the capture that reveals them.
    mutable std::mutex timelineMutex;
    mutable Events::Timeline timeline;
    Verify::KeySet inlineKeys;                     // --secret keys, kept across refetches
    QList<Verify::KeySource *> urlSources;         // refetched when a kid is unknown
    QList<Capture::CapturePtr> waitingForKeys;      // key-unknown captures to verify again

    std::shared_ptr<const Verify::Verifier> currentVerifier() const
    {
        std::lock_guard lock(mutex);
        return verifier;
    }
};

namespace {

Capture::Verdict listVerdict(const Verify::Verdict &verdict)
{
    switch (verdict.verdict) {
    case Verify::VerdictStatus::Verified:
        return Capture::Verdict::Verified;
    case Verify::VerdictStatus::Unsigned:
        return Capture::Verdict::Unsigned;
    case Verify::VerdictStatus::Failed:
        break;
    }
    return verdict.signature.status == Verify::SignatureStatus::KeyUnknown ? Capture::Verdict::KeyUnknown
                                                                          : Capture::Verdict::Invalid;
}

} // namespace

QByteArray eventJson(const Events::EventSummary &event, const QList<Events::Timeline::Anomaly> &anomalies)
{
    // Keys in QJsonDocument's (sorted) order, so the text is what it would write.
    QByteArray out;
    out.reserve(160 + event.summary.size() * 2);
    Verify::JsonWriter json(out);
    json.beginObject();
    if (!anomalies.isEmpty()) {
        json.key("anomalies").beginArray();
        for (const Events::Timeline::Anomaly &anomaly : anomalies) {
            json.beginObject().key("captureIds").beginArray();
            for (qint64 id : anomaly.captureIds)
                json.value(id);
            json.endArray().key("code").value(anomaly.code).key("message").value(anomaly.sentence).endObject();
        }
        json.endArray();
    }
    json.key("entityId");
    event.entityId.isEmpty() ? json.null() : json.value(event.entityId);
    json.key("summary").value(event.summary).key("type");
    event.type.isEmpty() ? json.null() : json.value(event.type);
    json.endObject();
    return out;
}

std::expected<std::unique_ptr<CaptureAnalyzer>, QString>
CaptureAnalyzer::create(const QStringList &keySources, const QStringList &secrets, const QString &policyName, bool allowHttpKeys)
{
    auto policy = Verify::Policy::fromName(policyName);
    if (!policy)
        return std::unexpected(policy.error());
    auto keys = loadKeyArguments(keySources, secrets, allowHttpKeys, [](const QString &warning) {
        std::fprintf(stderr, "hookscope: %s\n", qPrintable(warning));
    });
    if (!keys)
        return std::unexpected(keys.error());

    auto d = std::make_unique<Private>();
    for (const QString &secret : secrets) {
        if (auto key = Verify::keyFromInlineSecret(secret))
            d->inlineKeys.add(*key);
    }
    std::unique_ptr<CaptureAnalyzer> analyzer(new CaptureAnalyzer(std::move(d)));
    analyzer->setKeys(*keys, *policy);
    Verify::KeySourceOptions options;
    options.allowHttp = allowHttpKeys;
    for (const QString &source : keySources) {
        if (!source.startsWith(QLatin1String("http://")) && !source.startsWith(QLatin1String("https://")))
            continue;
        auto *keySource = new Verify::KeySource(source, options, analyzer.get());
        analyzer->d->urlSources.append(keySource);
        analyzer->m_refetchesKeys = true;
        connect(keySource, &Verify::KeySource::loaded, analyzer.get(), [raw = analyzer.get()](const Verify::KeySet &, bool notModified) {
            if (notModified && raw->d->waitingForKeys.isEmpty())
                return;
            Verify::KeySet merged = raw->d->inlineKeys;
            for (Verify::KeySource *s : std::as_const(raw->d->urlSources))
                merged.merge(s->keySet());
            raw->setKeys(merged, raw->d->currentVerifier()->policy());
            const QList<Capture::CapturePtr> waiting = std::exchange(raw->d->waitingForKeys, {});
            for (const Capture::CapturePtr &capture : waiting)
                raw->analyze(capture);
        });
        keySource->load(); // primes its cache (ETag) with what was just loaded
    }
    return analyzer;
}

CaptureAnalyzer::CaptureAnalyzer(std::unique_ptr<Private> d)
    : d(std::move(d))
{
    this->d->decoder = Events::ProfileCatalog::standard().decoder();
}

CaptureAnalyzer::CaptureAnalyzer(const Verify::KeySet &keys, const Verify::Policy &policy)
    : CaptureAnalyzer(std::make_unique<Private>())
{
    setKeys(keys, policy);
}

CaptureAnalyzer::~CaptureAnalyzer() = default;

void CaptureAnalyzer::setKeys(const Verify::KeySet &keys, const Verify::Policy &policy)
{
    auto verifier = std::make_shared<const Verify::Verifier>(keys, policy);
    std::lock_guard lock(d->mutex);
    d->verifier = std::move(verifier);
}

CaptureAnalyzer::Prepared CaptureAnalyzer::prepare(const Http::CapturedRequest &capture) const
{
    Prepared prepared;
    Capture::Annotation &annotation = prepared.annotation;
    annotation.id = capture.id;
    if (capture.isRejected()) {
        // Not a whole request: nothing to verify or decode.
        annotation.verdict = Capture::Verdict::Rejected;
        return prepared;
    }
    const auto verifier = d->currentVerifier();
    const Verify::Verdict verdict = verifier->verify(capture, capture.firstByteAt.isValid() ? capture.firstByteAt
                                                                                           : QDateTime::currentDateTimeUtc());
    // The text is written once; the object only for callers that ask for it.
    annotation.verificationJson = Verify::verdictJson(verdict);
    annotation.verdict = listVerdict(verdict);
    annotation.digestStatus = Verify::digestStatusName(verdict.digest.status);
    annotation.signatureStatus = Verify::signatureStatusName(verdict.signature.status);
    for (const Verify::Problem &problem : verdict.problems)
        annotation.problemCodes.append(problem.code);
    annotation.problemCodes.removeDuplicates();
    prepared.decoded = d->decoder.decode(capture, Events::Decoder::Detail::Summary);
    // finish() reads the summary and the timeline's fields, not the parsed body: freed here, in
    // parallel, rather than in the ordered step.
    prepared.decoded.payload = QJsonValue();
    return prepared;
}

Capture::Annotation CaptureAnalyzer::finish(const Http::CapturedRequest &capture, Prepared prepared, QJsonObject *event) const
{
    Capture::Annotation annotation = std::move(prepared.annotation);
    if (capture.isRejected())
        return annotation;
    const Events::DecodedEvent &decoded = prepared.decoded;
    QList<Events::Timeline::Anomaly> anomalies;
    if (decoded.isRecognized() && capture.id > 0) {
        std::lock_guard lock(d->timelineMutex);
        anomalies = d->timeline.add(capture.id, capture.firstByteAt, decoded);
    }
    for (const Events::Timeline::Anomaly &anomaly : std::as_const(anomalies))
        annotation.problemCodes.append(anomaly.code);
    annotation.eventType = decoded.eventType;
    annotation.eventSummary = decoded.summary;
    annotation.eventJson = eventJson(decoded.compact(), anomalies);
    if (event)
        *event = QJsonDocument::fromJson(annotation.eventJson).object();
    return annotation;
}

Capture::Annotation CaptureAnalyzer::annotate(const Http::CapturedRequest &capture, QJsonObject *verification,
                                              QJsonObject *event) const
{
    Capture::Annotation annotation = finish(capture, prepare(capture), event);
    if (verification && !annotation.verificationJson.isEmpty())
        *verification = QJsonDocument::fromJson(annotation.verificationJson).object();
    return annotation;
}

void CaptureAnalyzer::analyze(const Capture::CapturePtr &capture)
{
    QJsonObject verification;
    QJsonObject event;
    const Capture::Annotation annotation = annotate(*capture, &verification, &event);
    if (annotation.verdict == Capture::Verdict::KeyUnknown)
        refetchForUnknownKid(capture, verification.value(QStringLiteral("signature")).toObject().value(QStringLiteral("keyId")).toString());
    Q_EMIT analyzed(capture, annotation, verification, event);
}

void CaptureAnalyzer::refetchForUnknownKid(const Capture::CapturePtr &capture, const QString &kid)
{
    bool asked = false;
    for (Verify::KeySource *source : std::as_const(d->urlSources))
        asked = source->refetchForUnknownKid(kid) || asked;
    // Verified again once the keys arrive; bounded, so a flood of unknown kids costs nothing.
    if (asked && d->waitingForKeys.size() < 100)
        d->waitingForKeys.append(capture);
    if (asked)
        qCInfo(lcAnalysis) << "kid" << kid << "unknown: refetching the key set";
}

} // namespace Cli
