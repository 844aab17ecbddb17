// Verification throughput on one thread, with the key parsed once (as `hookscope listen` keeps it):
//   (0) OpenSSL's own loop, as `openssl speed rsa2048` times it, on the same key (the baseline);
//   (a) Verify::verifySignature, rsa-v1_5-sha256 over the draft-cavage signing string;
//   (b) Verify::Verifier::verify on the whole captured request (parse the Authorization header,
//       check the Digest against the body, build the signing string, RSA verify, clock, policy);
//   (c) (b) plus the verdict JSON that listen stores with each capture;
//   (d) Cli::CaptureAnalyzer::annotate, all of listen's per-capture analysis: (b), the verdict
//       JSON text, the event decoding and its JSON text; then the same asked for the JSON objects
//       too (as listen --json asks for them). The capture id is 0, so the lifecycle timeline,
//       kept across captures, is left out.
// The request is the provider's: a 1 KiB JSON webhook with Digest: SHA-256 and a draft-cavage
// rsa-sha256 signature over "(request-target) host date digest", signed with Verify::signData.
// Usage: bench_verify [SECONDS per row, default 3]. Prints one row per measurement (calls per
// second of the thread's CPU time, as `openssl speed` counts user time, and per wall-clock
// second), then a machine-readable "RESULT ..." line (tests/bench/verify/run.sh reads it).

#include "cli/captureanalyzer.h"
#include "http/requestparser.h"
#include "verify/base64.h"
#include "verify/crypto.h"
#include "verify/digest.h"
#include "verify/jwk.h"
#include "verify/verdict.h"
#include "verify/verifier.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QLocale>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <expected>
#include <functional>
#include <memory>

namespace {

struct Fixture
{
    Verify::KeySet keys;     // the public key, loaded from a JWKS like `listen --jwks`
    Verify::KeyPtr publicKey;
    QByteArray signingString;
    QByteArray signature;
    Http::CapturedRequest request;
    QDateTime now;
};

QByteArray webhookBody()
{
    QByteArray body = QByteArrayLiteral(R"({"id":"c-81","expert":"e-7","status":"completed","totalParticipantSeconds":3723,"participants":[)");
    for (int i = 1; i <= 12; ++i) {
        if (i > 1)
            body += ',';
        body += QByteArrayLiteral(R"({"participant":"p-%1","joinedAt":"2026-12-03T10:%2:00Z","seconds":%3})")
                    .replace("%1", QByteArray::number(i).rightJustified(3, '0'))
                    .replace("%2", QByteArray::number(i).rightJustified(2, '0'))
                    .replace("%3", QByteArray::number(60 * i));
    }
    body += QByteArrayLiteral(R"(],"note":")");
    body += QByteArray(1024 - body.size() - 2, 'x');
    body += QByteArrayLiteral(R"("})");
    return body;
}

std::expected<Fixture, QString> makeFixture()
{
    Fixture f;
    auto privateKey = Verify::generateKey(Verify::KeyType::Rsa, 2048, {}, QStringLiteral("bench-key"));
    if (!privateKey)
        return std::unexpected(privateKey.error());
    Verify::KeySet signing;
    signing.add(*privateKey);
    auto jwks = Verify::keySetToJwks(signing);
    if (!jwks)
        return std::unexpected(jwks.error());
    auto loaded = Verify::keySetFromJwks(*jwks, QStringLiteral("bench.jwks"));
    if (!loaded || loaded->keys.isEmpty())
        return std::unexpected(loaded ? QStringLiteral("the JWKS has no usable key") : loaded.error());
    f.keys = loaded->keys;
    f.publicKey = f.keys.find(QStringLiteral("bench-key"));

    f.now = QDateTime::currentDateTimeUtc();
    const QByteArray body = webhookBody();
    const QByteArray date = QLocale::c().toString(f.now, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
    const QByteArray digest = "SHA-256=" + Verify::encodeBase64(Verify::computeDigest(Verify::DigestAlgorithm::Sha256, body));
    const QByteArray host = QByteArrayLiteral("webhooks.bench.local");
    f.signingString = "(request-target): post /\nhost: " + host + "\ndate: " + date + "\ndigest: " + digest;
    auto signature = Verify::signData(**privateKey, Verify::SignatureAlgorithm::RsaV15Sha256, f.signingString);
    if (!signature)
        return std::unexpected(signature.error());
    f.signature = *signature;

    const QByteArray raw = "POST / HTTP/1.1\r\nHost: " + host + "\r\nDate: " + date
                           + "\r\nContent-Type: application/json\r\nDigest: " + digest
                           + "\r\nAuthorization: Signature keyId=\"bench-key\",algorithm=\"rsa-sha256\","
                             "headers=\"(request-target) host date digest\",signature=\""
                           + Verify::encodeBase64(f.signature) + "\"\r\nContent-Length: "
                           + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    Http::RequestParser parser;
    parser.feed(raw);
    if (parser.state() != Http::RequestParser::State::Complete)
        return std::unexpected(QStringLiteral("the request does not parse: %1").arg(parser.rejection().reason));
    f.request = parser.takeRequest();
    f.request.firstByteAt = f.now;
    return f;
}

struct Rate
{
    double perCpuSecond = 0; // calls per second of this thread's CPU time, as `openssl speed` counts
    double perWallSecond = 0;
};

double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// Runs `call` in batches until `seconds` of wall time have passed. The machine may be shared, so
// the rate per CPU second is the per-core figure; the wall-clock rate is printed beside it.
Rate rate(double seconds, const std::function<bool()> &call)
{
    for (int i = 0; i < 50; ++i) // warm caches and OpenSSL's provider lookups
        call();
    QElapsedTimer timer;
    timer.start();
    const double cpuStart = threadCpuSeconds();
    qint64 calls = 0;
    bool ok = true;
    while (timer.nsecsElapsed() < qint64(seconds * 1e9)) {
        for (int i = 0; i < 64; ++i)
            ok = call() && ok;
        calls += 64;
    }
    const double wall = double(timer.nsecsElapsed()) / 1e9;
    const double cpu = threadCpuSeconds() - cpuStart;
    if (!ok) {
        std::fprintf(stderr, "bench_verify: a call did not verify\n");
        std::exit(1);
    }
    return Rate{double(calls) / cpu, double(calls) / wall};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? QByteArray(argv[1]).toDouble() : 3.0;
    auto fixture = makeFixture();
    if (!fixture) {
        std::fprintf(stderr, "bench_verify: %s\n", qPrintable(fixture.error()));
        return 1;
    }
    const Fixture &f = *fixture;
    const Verify::Verifier verifier(f.keys, Verify::Policy::strict());
    const Verify::Verdict first = verifier.verify(f.request, f.now);
    if (first.verdict != Verify::VerdictStatus::Verified) {
        std::fprintf(stderr, "bench_verify: the benchmark request does not verify:\n%s\n", qPrintable(Verify::verdictToText(first)));
        return 1;
    }

    // What `openssl speed rsa2048` times: EVP_PKEY_verify of a ready digest with a context set up
    // once, here on the same key in the same process, so the ratio holds under a noisy machine.
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ready(EVP_PKEY_CTX_new_from_pkey(nullptr, f.publicKey->pkey.get(), nullptr),
                                                                     &EVP_PKEY_CTX_free);
    if (!ready || EVP_PKEY_verify_init(ready.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ready.get(), RSA_PKCS1_PADDING) != 1
        || EVP_PKEY_CTX_set_signature_md(ready.get(), EVP_sha256()) != 1) {
        std::fprintf(stderr, "bench_verify: cannot set up the OpenSSL baseline\n");
        return 1;
    }
    const QByteArray signingDigest = Verify::computeDigest(Verify::DigestAlgorithm::Sha256, f.signingString);
    const Rate baseline = rate(seconds, [&] {
        return EVP_PKEY_verify(ready.get(), reinterpret_cast<const unsigned char *>(f.signature.constData()), size_t(f.signature.size()),
                               reinterpret_cast<const unsigned char *>(signingDigest.constData()), size_t(signingDigest.size())) == 1;
    });
    const Rate raw = rate(seconds, [&] {
        return Verify::verifySignature(*f.publicKey, Verify::SignatureAlgorithm::RsaV15Sha256, f.signingString, f.signature).ok;
    });
    const Rate full = rate(seconds, [&] { return verifier.verify(f.request, f.now).verdict == Verify::VerdictStatus::Verified; });
    const Rate withJson = rate(seconds, [&] {
        const Verify::Verdict verdict = verifier.verify(f.request, f.now);
        return !Verify::verdictJson(verdict).isEmpty(); // what CaptureAnalyzer::annotate stores
    });

    const Cli::CaptureAnalyzer analyzer(f.keys, Verify::Policy::strict());
    const Rate annotated = rate(seconds, [&] { return analyzer.annotate(f.request).verdict == Capture::Verdict::Verified; });
    const Rate withObjects = rate(seconds, [&] {
        QJsonObject verification;
        QJsonObject event;
        return analyzer.annotate(f.request, &verification, &event).verdict == Capture::Verdict::Verified;
    });

    std::printf("%-58s %14s %10s %14s\n", "one thread, RSA-2048 key parsed once", "calls/CPU-s", "us/call", "calls/wall-s");
    const auto row = [](const char *name, const Rate &r) {
        std::printf("%-58s %14.0f %10.1f %14.0f\n", name, r.perCpuSecond, 1e6 / r.perCpuSecond, r.perWallSecond);
    };
    row("EVP_PKEY_verify, context set up once (openssl speed's loop)", baseline);
    row("Verify::verifySignature rsa-v1_5-sha256 (signing string)", raw);
    row("Verify::Verifier::verify (whole request, strict policy)", full);
    row("  ... plus the verdict JSON listen stores", withJson);
    row("Cli::CaptureAnalyzer::annotate (verify, decode, JSON text)", annotated);
    row("  ... plus the JSON objects (verification, event)", withObjects);
    std::printf("RESULT baseline_per_s=%.1f raw_per_s=%.1f verify_per_s=%.1f verify_json_per_s=%.1f annotate_per_s=%.1f "
                "annotate_objects_per_s=%.1f baseline_wall_per_s=%.1f raw_wall_per_s=%.1f verify_wall_per_s=%.1f verify_json_wall_per_s=%.1f "
                "annotate_wall_per_s=%.1f annotate_objects_wall_per_s=%.1f\n",
                baseline.perCpuSecond, raw.perCpuSecond, full.perCpuSecond, withJson.perCpuSecond, annotated.perCpuSecond,
                withObjects.perCpuSecond, baseline.perWallSecond, raw.perWallSecond, full.perWallSecond, withJson.perWallSecond, annotated.perWallSecond,
                withObjects.perWallSecond);
    return 0;
}
