#include "cli/verifycommand.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

QString dataPath(const char *relative)
{
    return QStringLiteral(HOOKSCOPE_TEST_DATA "/verify/") + QLatin1String(relative);
}

QByteArray readData(const char *relative)
{
    QFile file(dataPath(relative));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString binary()
{
    const QByteArray override = qgetenv("HOOKSCOPE_TEST_BINARY");
    return override.isEmpty() ? QStringLiteral(HOOKSCOPE_BINARY) : QString::fromLocal8Bit(override);
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runVerify(const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.start(binary(), QStringList{QStringLiteral("verify")} + arguments);
    if (!process.waitForStarted())
        return {};
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(60000);
    return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
               process.readAllStandardError()};
}

const QStringList rfc9421Keys = {QStringLiteral("--jwks"), dataPath("keys/test-key-rsa-pss.public.pem"),
                                 QStringLiteral("--now"), QStringLiteral("2021-04-20T02:07:55Z")};

} // namespace

/// `hookscope verify`: argument parsing, raw files (bare LF), and the command as a process.
class TestVerifyCommand final : public QObject
{
    Q_OBJECT

private slots:
    void arguments()
    {
        QVERIFY(!Cli::parseVerifyArguments({}));
        QVERIFY(!Cli::parseVerifyArguments({QStringLiteral("--policy"), QStringLiteral("nope"), QStringLiteral("f")}));
        QVERIFY(!Cli::parseVerifyArguments({QStringLiteral("--max-skew"), QStringLiteral("-3"), QStringLiteral("f")}));
        QVERIFY(!Cli::parseVerifyArguments({QStringLiteral("--secret"), QStringLiteral("nokey"), QStringLiteral("f")}));
        QVERIFY(!Cli::parseVerifyArguments({QStringLiteral("--bogus"), QStringLiteral("f")}));
        auto options = Cli::parseVerifyArguments({QStringLiteral("--max-skew"), QStringLiteral("30"), QStringLiteral("--policy"),
                                                  QStringLiteral("http-signature"), QStringLiteral("--json"), QStringLiteral("a"), QStringLiteral("-")});
        QVERIFY(options);
        QCOMPARE(options->policy.maxSkewSeconds, 30);
        QCOMPARE(options->policy.name, QStringLiteral("http-signature"));
        QCOMPARE(options->files, (QStringList{QStringLiteral("a"), QStringLiteral("-")}));
        QCOMPARE(Cli::parseTimeArgument(QStringLiteral("1618884475"))->toSecsSinceEpoch(), 1618884475);
        QCOMPARE(Cli::parseTimeArgument(QStringLiteral("2021-04-20T04:07:55+02:00"))->toSecsSinceEpoch(), 1618884475);
        QVERIFY(!Cli::parseTimeArgument(QStringLiteral("yesterday")));
    }

    void bareLfHead()
    {
        QByteArray crlf = readData("rfc9421/requests/b23.http");
        const qsizetype headEnd = crlf.indexOf("\r\n\r\n") + 4;
        QByteArray lf = crlf.left(headEnd);
        lf.replace("\r\n", "\n");
        lf += crlf.mid(headEnd);
        auto file = Cli::parseRawRequestFile(lf);
        QVERIFY2(file, qPrintable(file ? QString() : file.error()));
        QCOMPARE(file->request.bodyView(), QByteArrayView("{\"hello\": \"world\"}"));
        // offsets map back to the file's own bytes
        const Http::HeaderField *host = file->request.header("host");
        QCOMPARE(lf.mid(file->fileOffset(host->lineOffset), host->lineLength), QByteArray("Host: example.com"));
        QVERIFY(!Cli::parseRawRequestFile("GET / HTTP/1.1\nHost: a\n\nunexpected body"));
        QVERIFY(Cli::parseRawRequestFile("GET / HTTP/1.1\nHost: a\n\n\n"));
        QVERIFY(!Cli::parseRawRequestFile("not http"));
    }

    void commandJson()
    {
        const QString file = dataPath("rfc9421/requests/b23.http");
        const Run run = runVerify(QStringList{QStringLiteral("--json")} + rfc9421Keys + QStringList{file});
        QCOMPARE(run.exitCode, 0);
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        const QJsonObject verdict = QJsonDocument::fromJson(lines.first()).object();
        QCOMPARE(verdict.value(QStringLiteral("file")).toString(), file);
        QCOMPARE(verdict.value(QStringLiteral("verdict")).toString(), QStringLiteral("verified"));
        QCOMPARE(verdict.value(QStringLiteral("signature")).toObject().value(QStringLiteral("signingString")).toString().toUtf8(),
                 readData("rfc9421/examples/b23-full-coverage-rsa-pss/signature-base.txt"));

        // stdin, plus a second file that fails: one line each, exit 1
        const Run two = runVerify(QStringList{QStringLiteral("--json")} + rfc9421Keys + QStringList{QStringLiteral("-"), dataPath("rfc9421/requests/b21.http")},
                                  readData("rfc9421/requests/b23.http"));
        QCOMPARE(two.exitCode, 1);
        const QList<QByteArray> both = two.out.trimmed().split('\n');
        QCOMPARE(both.size(), 2);
        QCOMPARE(QJsonDocument::fromJson(both[0]).object().value(QStringLiteral("file")).toString(), QStringLiteral("-"));
        QCOMPARE(QJsonDocument::fromJson(both[1]).object().value(QStringLiteral("verdict")).toString(), QStringLiteral("failed"));
    }

    void commandText()
    {
        const Run run = runVerify(rfc9421Keys + QStringList{dataPath("rfc9421/requests/b21.http")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains("FAILED") && run.out.contains("digest-not-signed"), run.out.constData());
        QVERIFY(run.err.isEmpty());
    }

    void usageErrors()
    {
        QTemporaryDir dir;
        const QString garbage = dir.filePath(QStringLiteral("garbage.http"));
        QFile file(garbage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("hello\n");
        file.close();
        const QList<QStringList> cases = {
            {},
            {QStringLiteral("--now"), QStringLiteral("soon"), garbage},
            {QStringLiteral("--jwks"), dir.filePath(QStringLiteral("missing.json")), garbage},
            {dir.filePath(QStringLiteral("missing.http"))},
            {garbage},
        };
        for (const QStringList &arguments : cases) {
            const Run run = runVerify(arguments);
            QCOMPARE(run.exitCode, 2);
            QCOMPARE(run.err.trimmed().count('\n'), 0); // one line naming the problem
            QVERIFY(!run.err.isEmpty());
            QVERIFY(run.out.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestVerifyCommand)
#include "tst_verifycommand.moc"
