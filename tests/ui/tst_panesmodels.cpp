#include "displaytext.h"
#include "headersmodel.h"
#include "jsonpretty.h"
#include "jsontreemodel.h"
#include "keystablemodel.h"

#include "capture/storereader.h"
#include "verify/jwk.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QTest>

class TestPanesModels final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonTreeKeepsDocumentOrder()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setJsonBytes(R"({"zeta": 1, "alpha": {"y": true, "b": null}, "list": [{"k": "v"}, 2.5]})"));
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(model.rowCount(root), 3);
        QCOMPARE(model.index(0, 0, root).data().toString(), QStringLiteral("zeta"));
        QCOMPARE(model.index(1, 0, root).data().toString(), QStringLiteral("alpha"));
        const QModelIndex alpha = model.index(1, 0, root);
        QCOMPARE(model.index(0, 0, alpha).data().toString(), QStringLiteral("y"));
        QCOMPARE(model.index(1, 0, alpha).data().toString(), QStringLiteral("b"));
        const QModelIndex element = model.indexForPath(QStringLiteral("list[0].k"));
        QVERIFY(element.isValid());
        QCOMPARE(element.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("\"v\""));
        QCOMPARE(model.indexForPath(QStringLiteral("list[1]")).siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(),
                 QStringLiteral("2.5"));
        QVERIFY(!model.setJsonBytes("{not json"));
        QCOMPARE(model.rowCount(), 0);
    }

    void prettyPrintKeepsOrderAndSpelling()
    {
        const QByteArray pretty = JsonPretty::indent(R"({"b":1.50,"a":[],"s":"x,{y}"})");
        QCOMPARE(pretty, QByteArray("{\n  \"b\": 1.50,\n  \"a\": [],\n  \"s\": \"x,{y}\"\n}"));
    }

    void safeTextEscapesInvalidUtf8()
    {
        const QByteArray bytes("ok \xc3\xa9 \xff\xfe \x01 end\r\n", 16);
        const QString text = DisplayText::safeText(bytes);
        QCOMPARE(text, QStringLiteral("ok é \\xff\\xfe ␁ end\n"));
        QCOMPARE(DisplayText::safeText("a\r\nb", true), QStringLiteral("a\\r\\n\nb"));
        // overlong encoding of '/' and a lone surrogate are not valid UTF-8 (RFC 3629 §3, §10)
        QCOMPARE(DisplayText::safeText("\xc0\xaf\xed\xa0\x80"), QStringLiteral("\\xc0\\xaf\\xed\\xa0\\x80"));
    }

    void headersModelKeepsOrderCaseAndDuplicates()
    {
        const QByteArray raw = "POST /hook HTTP/1.1\r\nHost: a.example\r\nX-Dup: one\r\ncontent-TYPE: application/json\r\n"
                               "x-dup: two\r\nContent-Length: 2\r\n\r\n{}";
        const Http::CapturedRequest request = Capture::parseRaw(raw);
        QVERIFY(!request.isRejected());
        HeadersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRequest(request);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(2, HeadersModel::NameColumn).data().toString(), QStringLiteral("content-TYPE"));
        QCOMPARE(model.index(1, HeadersModel::ValueColumn).data().toString(), QStringLiteral("one"));
        QCOMPARE(model.index(3, HeadersModel::NameColumn).data().toString(), QStringLiteral("x-dup"));
        QVERIFY(!model.index(3, HeadersModel::SectionColumn).data().toString().isEmpty());
        QCOMPARE(model.fieldLine(3), QStringLiteral("x-dup: two"));
        const qint64 offset = model.index(3, 0).data(HeadersModel::LineOffsetRole).toLongLong();
        QVERIFY(raw.mid(offset).startsWith("x-dup: two\r\n"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void keysTableModel()
    {
        QFile file(QStringLiteral(HOOKSCOPE_TEST_DATA "/ui/rfc7517-A.1-public.jwks.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto loaded = Verify::keySetFromJwks(file.readAll(), QStringLiteral("jwks.json"));
        QVERIFY(loaded.has_value());
        KeysTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime when = QDateTime::currentDateTimeUtc();
        model.setKeysFromSource(QStringLiteral("jwks.json"), loaded->keys.keys(), when);
        QCOMPARE(model.rowCount(), 2);
        model.setKeysFromSource(QStringLiteral("other"), {loaded->keys.keys().first()}, when);
        QCOMPARE(model.rowCount(), 3);
        model.setKeysFromSource(QStringLiteral("jwks.json"), loaded->keys.keys(), when); // refresh replaces
        QCOMPARE(model.rowCount(), 3);
        model.removeSource(QStringLiteral("other"));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, KeysTableModel::TypeColumn).data().toString(), QStringLiteral("EC P-256"));
        QCOMPARE(model.index(1, KeysTableModel::SizeColumn).data().toString(), QStringLiteral("2048 bits"));
    }
};

QTEST_MAIN(TestPanesModels)
#include "tst_panesmodels.moc"
