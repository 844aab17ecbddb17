#include "signaturetestsupport.h"

#include "verify/messagesignature.h"
#include "verify/messagesignaturebase.h"
#include "verify/verifier.h"

#include <QRandomGenerator>

using namespace Verify;

namespace {

const QDateTime created = QDateTime::fromSecsSinceEpoch(1618884475, Qt::UTC);

QByteArray example(const QString &folder, const char *file)
{
    return readSignatureData(QStringLiteral("rfc9421/examples/%1/%2").arg(folder, QLatin1String(file)));
}

Verdict verifyFile(const QString &name, const QDateTime &now = created)
{
    const Http::CapturedRequest request = parseHttp(readSignatureData(QStringLiteral("rfc9421/requests/") + name));
    return Verifier(rfc9421Keys(), Policy::strict()).verify(request, now);
}

// The signature base of a request with one Signature-Input member (the signature itself unused).
QByteArray baseOf(const QByteArray &raw, const QByteArray &signatureInput, QString *error = nullptr)
{
    const Http::CapturedRequest request = parseHttp(raw);
    const MessageSignatureSet set = parseMessageSignatures("sig=" + signatureInput, "sig=:AAAA:");
    if (set.signatures.size() != 1 || !set.signatures.first().error.isEmpty())
        return "(unparsed)";
    const auto base = buildSignatureBase(VerifierInput::fromRequest(request, QStringLiteral("https")), set.signatures.first());
    if (!base) {
        if (error)
            *error = base.error().code;
        return {};
    }
    return base->text;
}

} // namespace

/// RFC 9421: every published example, derived components, field parameters, malformed fields.
class TestMessageSignature final : public QObject
{
    Q_OBJECT

private slots:
    void requestExamples_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("folder");
        QTest::addColumn<bool>("bodyProtected");
        QTest::newRow("B.2.1") << "b21.http" << "b21-minimal-rsa-pss" << false;
        QTest::newRow("B.2.2") << "b22.http" << "b22-selective-rsa-pss" << true;
        QTest::newRow("B.2.3") << "b23.http" << "b23-full-coverage-rsa-pss" << true;
        QTest::newRow("B.2.5") << "b25.http" << "b25-hmac-sha256" << false;
        QTest::newRow("B.2.6") << "b26.http" << "b26-ed25519" << false;
        QTest::newRow("3.2") << "s3.2.http" << "s3.2-sig1-rsa-pss" << true;
        QTest::newRow("B.3") << "b3.http" << "b3-ttrp-ecdsa-p256" << false;
    }

    void requestExamples()
    {
        QFETCH(QString, file);
        QFETCH(QString, folder);
        QFETCH(bool, bodyProtected);
        const Verdict verdict = verifyFile(file);
        QCOMPARE(verdict.signature.scheme, QStringLiteral("rfc9421"));
        // the base rebuilt from the request equals the RFC's, byte for byte
        QCOMPARE(verdict.signature.signingString, example(folder, "signature-base.txt"));
        QCOMPARE(verdict.signature.status, SignatureStatus::Verified);
        QCOMPARE(verdict.verdict, bodyProtected ? VerdictStatus::Verified : VerdictStatus::Failed);
        if (!bodyProtected)
            QVERIFY(verdict.hasProblem(QStringLiteral("digest-not-signed")) || verdict.hasProblem(QStringLiteral("digest-missing")));
        // and it fails when a covered byte changes
        QByteArray raw = readSignatureData(QStringLiteral("rfc9421/requests/") + file);
        const QByteArray base = example(folder, "signature-base.txt");
        if (base.contains("\"@authority\"")) {
            raw.replace("Host: example.com", "Host: example.net");
            raw.replace("Host: service.internal.example", "Host: service.internal.example.net");
            const Verdict tampered = Verifier(rfc9421Keys(), Policy::strict()).verify(parseHttp(raw), created);
            QCOMPARE(tampered.signature.status, SignatureStatus::Invalid);
            QVERIFY(tampered.hasProblem(QStringLiteral("signature-mismatch")));
        }
    }

    void responseExamplesVerifyOverPrintedBase_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::newRow("B.2.4") << "b24-response-ecdsa-p256";
        QTest::newRow("2.4") << "s2.4-reqres-ecdsa-p256";
    }

    void responseExamplesVerifyOverPrintedBase()
    {
        QFETCH(QString, folder);
        const KeyPtr key = publicKeyFile(QStringLiteral("test-key-ecc-p256.public.pem"), QStringLiteral("test-key-ecc-p256"));
        const QByteArray signature = QByteArray::fromBase64(example(folder, "signature.b64").trimmed());
        const QByteArray base = example(folder, "signature-base.txt");
        QVERIFY(verifySignature(*key, SignatureAlgorithm::EcdsaP256Sha256, base, signature).ok);
        // the @signature-params line is the Signature-Input member re-serialized
        const QByteArray input = example(folder, "signature-input.txt");
        const MessageSignatureSet set = parseMessageSignatures(input, example(folder, "signature-field.txt"));
        QCOMPARE(set.signatures.size(), 1);
        QVERIFY(base.endsWith(QByteArray("\"@signature-params\": " + set.signatures.first().signatureParams)));
        // those components are response-side: a request carrying them is reported unsupported
        const Http::CapturedRequest request = parseHttp(withHeaders(readSignatureData(QStringLiteral("rfc9421/messages/test-request.http")),
                                                                    "Signature-Input: " + input + "\r\nSignature: " + example(folder, "signature-field.txt")));
        const Verdict verdict = Verifier(rfc9421Keys(), Policy::strict()).verify(request, created);
        QCOMPARE(verdict.signature.status, SignatureStatus::Unsupported);
        QVERIFY(verdict.hasProblem(QStringLiteral("component-unsupported")));
    }

    void multipleSignaturesAndProxyDiagnosis()
    {
        // 4.3: the client's sig1 covered @authority example.com; the proxy changed Host and added its own
        const Verdict verdict = verifyFile(QStringLiteral("s4.3.http"), QDateTime::fromSecsSinceEpoch(1618884480, Qt::UTC));
        QCOMPARE(verdict.signatures.size(), 2);
        QCOMPARE(verdict.signatures[0].label, QStringLiteral("sig1"));
        QCOMPARE(verdict.signatures[0].status, SignatureStatus::Invalid);
        QCOMPARE(verdict.signatures[1].label, QStringLiteral("proxy_sig"));
        QCOMPARE(verdict.signatures[1].status, SignatureStatus::Verified);
        QCOMPARE(verdict.signature.label, QStringLiteral("proxy_sig"));
        QCOMPARE(verdict.signature.signingString, example(QStringLiteral("s4.3-proxy-rsa-v1_5"), "signature-base.txt"));
        QCOMPARE(verdict.verdict, VerdictStatus::Verified);
        QCOMPARE(verdict.diagnoses.size(), 1);
        QCOMPARE(verdict.diagnoses.first().code, QStringLiteral("host-mismatch"));
        QCOMPARE(verdict.diagnoses.first().form, QStringLiteral("host: example.com"));
        // after expires=1618884540 the proxy signature has expired
        const Verdict expired = verifyFile(QStringLiteral("s4.3.http"), QDateTime::fromSecsSinceEpoch(1618884600, Qt::UTC));
        QCOMPARE(expired.verdict, VerdictStatus::Failed);
        QVERIFY(expired.hasProblem(QStringLiteral("signature-expired")));
    }

    void transformations()
    {
        for (int index = 0; index < 6; ++index) {
            const Verdict verdict = verifyFile(QStringLiteral("b4-%1.http").arg(index));
            QCOMPARE(verdict.signature.status, index < 4 ? SignatureStatus::Verified : SignatureStatus::Invalid);
            if (index == 0)
                QCOMPARE(verdict.signature.signingString, example(QStringLiteral("b4-transform-ed25519"), "signature-base.txt"));
            // a GET without a body needs no digest
            QCOMPARE(verdict.verdict, index < 4 ? VerdictStatus::Verified : VerdictStatus::Failed);
        }
    }

    void derivedComponents()
    {
        // RFC 9421 §2.2 examples
        const QByteArray raw = "GET /path?param=value&foo=bar&baz=batman&qux= HTTP/1.1\r\nHost: www.example.com\r\n\r\n";
        QCOMPARE(baseOf(raw, "(\"@target-uri\" \"@scheme\" \"@request-target\" \"@path\" \"@query\" \"@query-param\";name=\"baz\" \"@query-param\";name=\"qux\" \"@method\" \"@authority\")"),
                 QByteArray("\"@target-uri\": https://www.example.com/path?param=value&foo=bar&baz=batman&qux=\n"
                            "\"@scheme\": https\n"
                            "\"@request-target\": /path?param=value&foo=bar&baz=batman&qux=\n"
                            "\"@path\": /path\n"
                            "\"@query\": ?param=value&foo=bar&baz=batman&qux=\n"
                            "\"@query-param\";name=\"baz\": batman\n"
                            "\"@query-param\";name=\"qux\": \n"
                            "\"@method\": GET\n"
                            "\"@authority\": www.example.com\n"
                            "\"@signature-params\": (\"@target-uri\" \"@scheme\" \"@request-target\" \"@path\" \"@query\" \"@query-param\";name=\"baz\" \"@query-param\";name=\"qux\" \"@method\" \"@authority\")"));
        // §2.2.7: an absent query is "?"; §2.2.3: the default port is dropped, the host lowercased
        QVERIFY(baseOf("GET /p HTTP/1.1\r\nHost: WWW.Example.com:443\r\n\r\n", "(\"@query\" \"@authority\")")
                    .startsWith("\"@query\": ?\n\"@authority\": www.example.com\n"));
        // §2.2.8 re-encoding
        QCOMPARE(reencodeQueryComponent("this%20is%20a%20big%0Avalue"), QByteArray("this%20is%20a%20big%0Avalue"));
        QCOMPARE(reencodeQueryComponent("with+plus+whitespace"), QByteArray("with%20plus%20whitespace"));
        QCOMPARE(reencodeQueryComponent("fa%C3%A7ade%22%3A%20"), QByteArray("fa%C3%A7ade%22%3A%20"));
        const QByteArray query = "GET /?var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something HTTP/1.1\r\nHost: a\r\n\r\n";
        QVERIFY(baseOf(query, "(\"@query-param\";name=\"bar\" \"@query-param\";name=\"fa%C3%A7ade%22%3A%20\")")
                    .startsWith("\"@query-param\";name=\"bar\": with%20plus%20whitespace\n\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\": something\n"));
        QString error;
        QVERIFY(baseOf("GET /?a=1&a=2 HTTP/1.1\r\nHost: a\r\n\r\n", "(\"@query-param\";name=\"a\")", &error).isEmpty());
        QCOMPARE(error, QStringLiteral("signature-malformed"));
        QVERIFY(baseOf("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "(\"@status\")", &error).isEmpty());
        QCOMPARE(error, QStringLiteral("component-unsupported"));
        QVERIFY(baseOf("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "(\"@method\";req)", &error).isEmpty());
        QCOMPARE(error, QStringLiteral("component-unsupported"));
        QVERIFY(baseOf("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "(\"date\")", &error).isEmpty());
        QCOMPARE(error, QStringLiteral("header-missing"));
    }

    void fieldParameters()
    {
        // RFC 9421 §2.1 examples
        const QByteArray raw = "GET / HTTP/1.1\r\nHost: a\r\nExample-Dict:  a=1,    b=2;x=1;y=2,   c=(a   b   c)\r\n"
                               "Example-Header: value, with, lots\r\nExample-Header: of, commas\r\nX-OWS-Header:   Leading and trailing whitespace.   \r\n\r\n";
        QCOMPARE(baseOf(raw, "(\"example-dict\" \"example-dict\";sf \"example-dict\";key=\"a\" \"example-dict\";key=\"c\" \"example-header\" \"example-header\";bs \"x-ows-header\")"),
                 QByteArray("\"example-dict\": a=1,    b=2;x=1;y=2,   c=(a   b   c)\n"
                            "\"example-dict\";sf: a=1, b=2;x=1;y=2, c=(a b c)\n"
                            "\"example-dict\";key=\"a\": 1\n"
                            "\"example-dict\";key=\"c\": (a b c)\n"
                            "\"example-header\": value, with, lots, of, commas\n"
                            "\"example-header\";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:\n"
                            "\"x-ows-header\": Leading and trailing whitespace.\n"
                            "\"@signature-params\": (\"example-dict\" \"example-dict\";sf \"example-dict\";key=\"a\" \"example-dict\";key=\"c\" \"example-header\" \"example-header\";bs \"x-ows-header\")"));
    }

    void malformedFieldsNeverCrash()
    {
        const QByteArray raw = readSignatureData(QStringLiteral("rfc9421/requests/b23.http"));
        const qsizetype inputAt = raw.indexOf("Signature-Input: ") + 17;
        const qsizetype inputEnd = raw.indexOf("\r\n", inputAt);
        const QByteArray validInput = raw.mid(inputAt, inputEnd - inputAt);
        const qsizetype signatureAt = raw.indexOf("\r\nSignature: ") + 13;
        const QByteArray validSignature = raw.mid(signatureAt, raw.indexOf("\r\n", signatureAt) - signatureAt);
        const QByteArray head = raw.left(raw.indexOf("Signature-Input: "));
        const QByteArray body = raw.mid(raw.indexOf("\r\n\r\n"));
        QRandomGenerator random(9421);
        const QByteArray alphabet = "\"();=:, abcdekqsty@-0123456789*?+/\t";
        const Verifier verifier(rfc9421Keys(), Policy::strict());
        int malformed = 0;
        for (int round = 0; round < 800; ++round) {
            QByteArray input = validInput;
            QByteArray signature = validSignature;
            QByteArray &target = round % 2 ? input : signature;
            for (int e = 0, edits = 1 + random.bounded(3); e < edits; ++e) {
                const int at = random.bounded(int(target.size()));
                switch (random.bounded(3)) {
                case 0: target.remove(at, 1 + random.bounded(4)); break;
                case 1: target.insert(at, alphabet[random.bounded(int(alphabet.size()))]); break;
                default: target[at] = alphabet[random.bounded(int(alphabet.size()))]; break;
                }
            }
            const Http::CapturedRequest request = parseHttp(head + "Signature-Input: " + input + "\r\nSignature: " + signature + body);
            if (request.method.isEmpty())
                continue;
            const Verdict verdict = verifier.verify(request, created);
            if (verdict.signature.status == SignatureStatus::Malformed) {
                ++malformed;
                QVERIFY(verdict.hasProblem(QStringLiteral("signature-malformed")));
            }
            // nothing mutated verifies except edits the SF serialization absorbs (whitespace)
            if (verdict.signature.status == SignatureStatus::Verified)
                QCOMPARE(verdict.signature.signingString, example(QStringLiteral("b23-full-coverage-rsa-pss"), "signature-base.txt"));
        }
        QVERIFY(malformed > 100);
    }
};

QTEST_GUILESS_MAIN(TestMessageSignature)
#include "tst_messagesignature.moc"
