// `hookscope import` end to end: raw request files and HAR files into a temporary store,
// verified on the way in, then exported back byte for byte.
#include "../cli/hookscopeprocess.h"

#include "replay/providersigner.h"
#include "verify/crypto.h"
#include "verify/jwk.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QList<QJsonObject> jsonLines(const QByteArray &text)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.isEmpty())
            objects.append(QJsonDocument::fromJson(line).object());
    }
    return objects;
}

QString verdictOf(const QJsonObject &capture)
{
    return capture.value(QStringLiteral("verification")).toObject().value(QStringLiteral("verdict")).toString();
}

} // namespace

class TestImportCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void rawFilesAndHarRoundTrip();
    void malformedEntriesAreReportedOthersImported();
    void unreadableInputs_data();
    void unreadableInputs();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
    QByteArray m_signed;  // a request signed like the provider, CRLF
    QByteArray m_bareLf;  // an unsigned GET written by hand with bare LF line endings
};

void TestImportCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto key = Verify::generateKey(Verify::KeyType::Rsa, 2048, {}, QStringLiteral("import-test"));
    QVERIFY(key.has_value());
    Verify::KeySet keys;
    keys.add(*key);
    auto jwks = Verify::keySetToJwks(keys);
    QVERIFY(jwks.has_value());
    QVERIFY(writeFile(path(QStringLiteral("jwks.json")), *jwks));

    const QByteArray body = R"({"type":"CONVERSATION_ENDED","data":{"id":"c-1"}})";
    Replay::ProviderSigner::Input input;
    input.target = "/webhooks";
    input.host = "hooks.example.com";
    input.date = QDateTime::currentDateTimeUtc();
    input.body = body;
    auto headers = Replay::ProviderSigner(*key, QStringLiteral("import-test")).sign(input);
    QVERIFY(headers.has_value());
    m_signed = "POST /webhooks HTTP/1.1\r\n";
    for (const auto &[name, value] : headers->fields)
        m_signed += name + ": " + value + "\r\n";
    m_signed += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    QVERIFY(writeFile(path(QStringLiteral("signed.http")), m_signed));

    m_bareLf = "GET /status?x=1 HTTP/1.1\nHost: localhost\nX-Dup: a\nX-Dup: b\n\n";
    QVERIFY(writeFile(path(QStringLiteral("handwritten.http")), m_bareLf));
}

void TestImportCli::rawFilesAndHarRoundTrip()
{
    const QString store = path(QStringLiteral("first.sqlite"));
    const QString signedFile = path(QStringLiteral("signed.http"));
    const QString handwritten = path(QStringLiteral("handwritten.http"));
    const CommandResult imported = runHookscope({QStringLiteral("import"), QStringLiteral("--store"), store, QStringLiteral("--jwks"),
                                                 path(QStringLiteral("jwks.json")), signedFile, handwritten});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    QCOMPARE(imported.out, QByteArray("imported 1 from " + signedFile.toUtf8() + "\nimported 2 from " + handwritten.toUtf8() + '\n'));

    // Stored byte for byte (the bare-LF head as CRLF), marked imported, verified.
    const CommandResult raw1 = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store, QStringLiteral("--format"),
                                             QStringLiteral("raw"), QStringLiteral("--id"), QStringLiteral("1")});
    QCOMPARE(raw1.out, m_signed);
    const CommandResult raw2 = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store, QStringLiteral("--format"),
                                             QStringLiteral("raw"), QStringLiteral("--id"), QStringLiteral("2")});
    QCOMPARE(raw2.out, QByteArray(m_bareLf).replace("\n", "\r\n"));
    const CommandResult jsonl = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store, QStringLiteral("--format"), QStringLiteral("jsonl")});
    const QList<QJsonObject> captures = jsonLines(jsonl.out);
    QCOMPARE(captures.size(), 2);
    QVERIFY(captures[0].value(QStringLiteral("imported")).toBool());
    QVERIFY(captures[1].value(QStringLiteral("imported")).toBool());
    QCOMPARE(verdictOf(captures[0]), QStringLiteral("verified"));
    QCOMPARE(verdictOf(captures[1]), QStringLiteral("unsigned"));
    QCOMPARE(captures[0].value(QStringLiteral("endpoint")).toString(), QStringLiteral("import"));

    // HAR out of the first store, into a second one: the same bytes, the same verdicts.
    const QString har = path(QStringLiteral("first.har"));
    const CommandResult exported = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store, QStringLiteral("--format"),
                                                 QStringLiteral("har"), QStringLiteral("-o"), har});
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    const QJsonArray entries = QJsonDocument::fromJson(readFile(har)).object().value(QStringLiteral("log")).toObject()
                                   .value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 2);
    QVERIFY(entries[0].toObject().value(QStringLiteral("_hookscope")).toObject().value(QStringLiteral("imported")).toBool());

    const QString second = path(QStringLiteral("second.sqlite"));
    const CommandResult reimported = runHookscope({QStringLiteral("import"), QStringLiteral("--store"), second, QStringLiteral("--jwks"),
                                                   path(QStringLiteral("jwks.json")), har});
    QVERIFY2(reimported.exitCode == 0, reimported.err.constData());
    QCOMPARE(reimported.out, QByteArray("imported 1 from " + har.toUtf8() + "\nimported 2 from " + har.toUtf8() + '\n'));
    for (const QString &id : {QStringLiteral("1"), QStringLiteral("2")}) {
        const CommandResult before = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store, QStringLiteral("--format"),
                                                   QStringLiteral("raw"), QStringLiteral("--id"), id});
        const CommandResult after = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), second, QStringLiteral("--format"),
                                                  QStringLiteral("raw"), QStringLiteral("--id"), id});
        QCOMPARE(after.out, before.out);
    }
    const QList<QJsonObject> secondCaptures = jsonLines(runHookscope({QStringLiteral("export"), QStringLiteral("--store"), second,
                                                                      QStringLiteral("--format"), QStringLiteral("jsonl")}).out);
    QCOMPARE(secondCaptures.size(), 2);
    QCOMPARE(verdictOf(secondCaptures[0]), QStringLiteral("verified"));
    QCOMPARE(verdictOf(secondCaptures[1]), QStringLiteral("unsigned"));
    // the arrival time travels with the HAR (startedDateTime)
    QCOMPARE(secondCaptures[0].value(QStringLiteral("receivedAt")), captures[0].value(QStringLiteral("receivedAt")));

    // Without keys the signature's key is unknown: imports are verified, not trusted.
    const CommandResult noKeys = runHookscope({QStringLiteral("import"), QStringLiteral("--store"), path(QStringLiteral("nokeys.sqlite")), signedFile});
    QCOMPARE(noKeys.exitCode, 0);
    const QList<QJsonObject> noKeyCaptures = jsonLines(runHookscope({QStringLiteral("export"), QStringLiteral("--store"), path(QStringLiteral("nokeys.sqlite")),
                                                                     QStringLiteral("--format"), QStringLiteral("jsonl")}).out);
    QCOMPARE(noKeyCaptures.size(), 1);
    QCOMPARE(verdictOf(noKeyCaptures[0]), QStringLiteral("failed"));
}

void TestImportCli::malformedEntriesAreReportedOthersImported()
{
    const QString har = path(QStringLiteral("mixed.har"));
    QVERIFY(writeFile(har, R"({"log": {"version": "1.2", "creator": {"name": "x", "version": "1"}, "entries": [
        {"request": {"method": "POST", "headers": []}},
        {"request": {"method": "GET", "url": "http://h/fine", "httpVersion": "HTTP/1.1", "headers": [{"name": "Host", "value": "h"}]}},
        {"request": {"method": "POST", "url": "http://h/", "headers": [{"name": "Content-Length", "value": "99"}], "postData": {"text": "short"}}}
    ]}})"));
    const QString store = path(QStringLiteral("mixed.sqlite"));
    const CommandResult result = runHookscope({QStringLiteral("import"), QStringLiteral("--store"), store, har});
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.out, QByteArray("imported 1 from " + har.toUtf8() + '\n'));
    const QList<QByteArray> errors = result.err.trimmed().split('\n');
    QCOMPARE(errors.size(), 2);
    QVERIFY2(errors[0].contains(har.toUtf8()) && errors[0].contains("entry 0: request.url is missing"), errors[0].constData());
    QVERIFY2(errors[1].contains(har.toUtf8()) && errors[1].contains("entry 2"), errors[1].constData());
    const CommandResult raw = runHookscope({QStringLiteral("export"), QStringLiteral("--store"), store, QStringLiteral("--format"),
                                            QStringLiteral("raw"), QStringLiteral("--id"), QStringLiteral("1")});
    QCOMPARE(raw.out, QByteArray("GET /fine HTTP/1.1\r\nHost: h\r\n\r\n"));
}

void TestImportCli::unreadableInputs_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content"); // empty: the file does not exist
    QTest::addColumn<QByteArray>("mention");
    QTest::newRow("missing file") << QStringLiteral("missing.http") << QByteArray() << QByteArray("cannot read");
    QTest::newRow("json, not a HAR") << QStringLiteral("other.json") << QByteArray("{\"a\": 1}") << QByteArray("not a HAR file");
    QTest::newRow("broken json") << QStringLiteral("broken.har") << QByteArray("{\"log\": [") << QByteArray("not valid JSON");
    QTest::newRow("not http") << QStringLiteral("garbage.http") << QByteArray("hello world\r\n\r\n") << QByteArray("not a valid HTTP/1.1 request");
}

void TestImportCli::unreadableInputs()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, mention);
    const QString input = path(name);
    if (!content.isEmpty())
        QVERIFY(writeFile(input, content));
    const QString store = path(QStringLiteral("unreadable.sqlite"));
    const CommandResult result = runHookscope({QStringLiteral("import"), QStringLiteral("--store"), store, input,
                                               path(QStringLiteral("handwritten.http"))});
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.err.count('\n'), 1);
    QVERIFY2(result.err.contains(input.toUtf8()) && result.err.contains(mention), result.err.constData());
    QVERIFY(result.out.startsWith("imported ")); // the readable input still went in
    QVERIFY(result.out.endsWith(QByteArray(" from " + path(QStringLiteral("handwritten.http")).toUtf8() + '\n')));
}

QTEST_GUILESS_MAIN(TestImportCli)
#include "tst_importcli.moc"
