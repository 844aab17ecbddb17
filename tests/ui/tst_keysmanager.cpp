#include "keysmanagerdialog.h"
#include "keystablemodel.h"

#include "capture/store.h"
#include "capture/storereader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

QByteArray readData(const QString &name)
{
    QFile file(QStringLiteral(HOOKSCOPE_TEST_DATA "/ui/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestKeysManager final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
    }

    void loadsJwksFileWithThumbprints()
    {
        QTemporaryDir dir;
        KeysManagerDialog dialog;
        dialog.setHistoryPath(dir.filePath(QStringLiteral("keys.json")));
        QSignalSpy changed(&dialog, &KeysManagerDialog::keySetChanged);
        QVERIFY(dialog.loadFile(QStringLiteral(HOOKSCOPE_TEST_DATA "/ui/rfc7517-A.1-public.jwks.json")));
        QCOMPARE(changed.count(), 1);
        KeysTableModel *model = dialog.keysModel();
        QCOMPARE(model->rowCount(), 2);
        const QJsonArray expected = QJsonDocument::fromJson(readData(QStringLiteral("rfc7638-thumbprints-of-rfc7517-A.1.json")))
                                        .object().value(QStringLiteral("thumbprints")).toArray();
        QCOMPARE(expected.size(), 2);
        for (int row = 0; row < 2; ++row)
            QCOMPARE(model->index(row, KeysTableModel::ThumbprintColumn).data().toString(), expected.at(row).toString());
        QCOMPARE(model->index(0, KeysTableModel::KidColumn).data().toString(), QStringLiteral("1"));
        QCOMPARE(model->index(1, KeysTableModel::KidColumn).data().toString(), QStringLiteral("2011-04-29"));
        QCOMPARE(model->index(1, KeysTableModel::TypeColumn).data().toString(), QStringLiteral("RSA"));
        QCOMPARE(model->index(1, KeysTableModel::AlgorithmColumn).data().toString(), QStringLiteral("RS256"));
        QVERIFY(model->index(0, KeysTableModel::SourceColumn).data().toString().endsWith(QStringLiteral("rfc7517-A.1-public.jwks.json")));
        QVERIFY(!model->index(0, KeysTableModel::FetchedColumn).data().toString().isEmpty());
        QCOMPARE(dialog.keySet().keys().size(), 2);
        QVERIFY(dialog.keySet().find(QStringLiteral("2011-04-29")));

        // history: one snapshot, persisted and read back by a new dialog (which also restores the file)
        QCOMPARE(dialog.history().size(), 1);
        QCOMPARE(dialog.history().first().toObject().value(QStringLiteral("keyCount")).toInt(), 2);
        KeysManagerDialog reopened;
        reopened.setHistoryPath(dir.filePath(QStringLiteral("keys.json")));
        QCOMPARE(reopened.history().size(), 1);
        QCOMPARE(reopened.keysModel()->rowCount(), 2);

        // export the RSA key as PEM
        const QString pemPath = dir.filePath(QStringLiteral("rsa.pem"));
        QVERIFY(dialog.exportPem(1, pemPath));
        QFile pem(pemPath);
        QVERIFY(pem.open(QIODevice::ReadOnly));
        QVERIFY(pem.readAll().startsWith("-----BEGIN PUBLIC KEY-----\n"));
    }

    void errorsAreMessagesNotCrashes()
    {
        QTemporaryDir dir;
        KeysManagerDialog dialog;
        dialog.setHistoryPath(dir.filePath(QStringLiteral("keys.json")));
        const QString bad = dir.filePath(QStringLiteral("bad.json"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"keys\": [");
        file.close();
        QVERIFY(!dialog.loadFile(bad));
        QVERIFY(dialog.messageText().startsWith(QStringLiteral("✖")));
        QVERIFY(!dialog.loadFile(dir.filePath(QStringLiteral("missing.json"))));
        QVERIFY(!dialog.addPasted(QStringLiteral("-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----"), QStringLiteral("k")));
        QVERIFY(!dialog.addPasted(QStringLiteral("{\"kty\": \"RSA\"}")));
        dialog.loadUrl(QStringLiteral("http://127.0.0.1:9/jwks.json"), false);
        QVERIFY(dialog.messageText().contains(QStringLiteral("Allow plain http")));
        QCOMPARE(dialog.keysModel()->rowCount(), 0);
    }

    void pastedKeysAndSecrets()
    {
        QTemporaryDir dir;
        KeysManagerDialog dialog;
        dialog.setHistoryPath(dir.filePath(QStringLiteral("keys.json")));
        QVERIFY(dialog.addSecret(QStringLiteral("test-shared-secret"), QString::fromLatin1(readData(QStringLiteral("test-shared-secret.b64")).trimmed()), true));
        QCOMPARE(dialog.keysModel()->rowCount(), 1);
        QCOMPARE(dialog.keysModel()->index(0, KeysTableModel::SizeColumn).data().toString(), QStringLiteral("512 bits"));
        QVERIFY(!dialog.exportPem(0, dir.filePath(QStringLiteral("secret.pem")))); // no public key
        const QJsonArray keys = QJsonDocument::fromJson(readData(QStringLiteral("rfc7517-A.1-public.jwks.json")))
                                    .object().value(QStringLiteral("keys")).toArray();
        QVERIFY(dialog.addPasted(QString::fromUtf8(QJsonDocument(keys.at(0).toObject()).toJson())));
        QCOMPARE(dialog.keysModel()->rowCount(), 2);
        QVERIFY(dialog.keySet().find(QStringLiteral("1")));
        QVERIFY(dialog.keySet().find(QStringLiteral("test-shared-secret")));
        // the secret is not written to disk
        QFile state(dir.filePath(QStringLiteral("keys.json")));
        QVERIFY(state.open(QIODevice::ReadOnly));
        QVERIFY(!state.readAll().contains(readData(QStringLiteral("test-shared-secret.b64")).trimmed().left(20)));
    }

    void listsCapturesTheKeyVerified()
    {
        QTemporaryDir dir;
        const QString storePath = dir.filePath(QStringLiteral("captures.sqlite"));
        {
            auto store = Capture::Store::open(storePath);
            QVERIFY2(store.has_value(), qPrintable(store ? QString() : store.error()));
            for (int i = 0; i < 3; ++i) {
                auto request = std::make_shared<Http::CapturedRequest>(
                    Capture::parseRaw("POST /hook/" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
                request->firstByteAt = request->lastByteAt = QDateTime::currentDateTimeUtc();
                (*store)->append(request);
            }
            (*store)->flush();
            const auto verdict = [](const QString &keyId, const QString &status) {
                const QJsonObject signature{{QStringLiteral("status"), status}, {QStringLiteral("keyId"), keyId}};
                return QJsonDocument(QJsonObject{{QStringLiteral("verdict"), status == u"verified" ? QStringLiteral("verified") : QStringLiteral("failed")},
                                                 {QStringLiteral("signature"), signature},
                                                 {QStringLiteral("signatures"), QJsonArray{signature}}})
                    .toJson(QJsonDocument::Compact);
            };
            const auto reader = Capture::StoreReader::open(storePath);
            QVERIFY(reader.has_value());
            const QList<qint64> ids = reader->ids();
            QCOMPARE(ids.size(), 3);
            const QStringList statuses{QStringLiteral("verified"), QStringLiteral("invalid"), QStringLiteral("verified")};
            const QStringList kids{QStringLiteral("2011-04-29"), QStringLiteral("2011-04-29"), QStringLiteral("other")};
            for (int i = 0; i < 3; ++i) {
                Capture::Annotation annotation;
                annotation.id = ids.at(i);
                annotation.verdict = statuses.at(i) == u"verified" ? Capture::Verdict::Verified : Capture::Verdict::Invalid;
                annotation.signatureStatus = statuses.at(i);
                annotation.verificationJson = verdict(kids.at(i), statuses.at(i));
                (*store)->annotate(annotation);
            }
            (*store)->flush();
        }
        KeysManagerDialog dialog;
        dialog.setHistoryPath(dir.filePath(QStringLiteral("keys.json")));
        dialog.setStorePath(storePath);
        QVERIFY(dialog.loadFile(QStringLiteral(HOOKSCOPE_TEST_DATA "/ui/rfc7517-A.1-public.jwks.json")));
        dialog.selectKey(1); // kid 2011-04-29
        const QStringList lines = dialog.usageLines();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains(QStringLiteral("/hook/0")), qPrintable(lines.first()));
        dialog.selectKey(0);
        QVERIFY(dialog.usageLines().isEmpty());
    }

    // Renders the dialog to PNG when HOOKSCOPE_SCREENSHOT_DIR is set.
    void screenshot()
    {
        const QString folder = qEnvironmentVariable("HOOKSCOPE_SCREENSHOT_DIR");
        if (folder.isEmpty())
            QSKIP("set HOOKSCOPE_SCREENSHOT_DIR to write a screenshot");
        QTemporaryDir dir;
        KeysManagerDialog dialog;
        dialog.setHistoryPath(dir.filePath(QStringLiteral("keys.json")));
        QVERIFY(dialog.loadFile(QStringLiteral(HOOKSCOPE_TEST_DATA "/ui/rfc7517-A.1-public.jwks.json")));
        QVERIFY(dialog.addSecret(QStringLiteral("test-shared-secret"), QString::fromLatin1(readData(QStringLiteral("test-shared-secret.b64")).trimmed()), true));
        dialog.selectKey(1);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QDir().mkpath(folder);
        QVERIFY(dialog.grab().save(folder + QStringLiteral("/keys-manager.png")));
    }

    void reverifyButtonsEmit()
    {
        QTemporaryDir dir;
        KeysManagerDialog dialog;
        dialog.setHistoryPath(dir.filePath(QStringLiteral("keys.json")));
        QSignalSpy spy(&dialog, &KeysManagerDialog::reverifyRequested);
        dialog.show();
        dialog.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        QTest::keyClick(&dialog, Qt::Key_F5);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().first().toBool(), false);
    }
};

QTEST_MAIN(TestKeysManager)
#include "tst_keysmanager.moc"
