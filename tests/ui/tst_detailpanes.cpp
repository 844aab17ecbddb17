#include "bodypane.h"
#include "detailpanes.h"
#include "eventpane.h"
#include "headersmodel.h"
#include "headerspane.h"
#include "hexview.h"
#include "jsontreemodel.h"
#include "overviewpane.h"
#include "rawpane.h"
#include "signaturepane.h"
#include "signingstringview.h"
#include "stringdiffbox.h"

#include "capture/storereader.h"
#include "events/samples.h"
#include "verify/keysource.h"
#include "verify/verifier.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>

namespace {

QByteArray readData(const QString &name)
{
    QFile file(QStringLiteral(HOOKSCOPE_TEST_DATA "/ui/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray requestWithBody(const QByteArray &body, const QByteArray &contentType = "application/json")
{
    return "POST /webhooks/skillspring HTTP/1.1\r\nHost: hooks.example\r\nContent-Type: " + contentType
           + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// RFC 9421 B.2.5 verified with its HMAC key by the real verifier. With `lenient`, a policy that
// does not insist on a signed digest (B.2.5 does not cover Content-Digest), so it verifies.
Capture::StoredCapture signedCapture(bool lenient)
{
    Capture::StoredCapture capture;
    capture.request = Capture::parseRaw(readData(QStringLiteral("rfc9421-b25.http")));
    capture.request.endpoint = QStringLiteral("default");
    capture.request.remoteAddress = QStringLiteral("127.0.0.1");
    capture.request.remotePort = 50123;
    const auto key = Verify::keyFromInlineSecret(QStringLiteral("test-shared-secret=base64:")
                                                 + QString::fromLatin1(readData(QStringLiteral("test-shared-secret.b64")).trimmed()));
    Verify::KeySet keys;
    if (key)
        keys.add(*key);
    Verify::Policy policy;
    if (lenient) {
        policy.name = QStringLiteral("lenient");
        policy.digestRequired = false;
        policy.digestMustBeSigned = false;
    }
    const Verify::Verifier verifier(keys, policy);
    const Verify::Verdict verdict = verifier.verify(capture.request, QDateTime::fromSecsSinceEpoch(1618884473 + 5, Qt::UTC));
    capture.annotation.verificationJson = QJsonDocument(Verify::verdictToJson(verdict)).toJson(QJsonDocument::Compact);
    capture.annotation.verdict = verdict.verdict == Verify::VerdictStatus::Verified ? Capture::Verdict::Verified
                                                                                      : Capture::Verdict::Invalid;
    capture.annotation.signatureStatus = Verify::signatureStatusName(verdict.signature.status);
    return capture;
}

} // namespace

class TestDetailPanes final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fillsEveryTab()
    {
        const Capture::StoredCapture capture = signedCapture(true);
        QVERIFY(!capture.request.isRejected());
        DetailPanes panes;
        panes.resize(1000, 700);
        panes.showCapture(capture);
        QCOMPARE(panes.count(), 6);

        QVERIFY(panes.overviewPane()->plainText().contains(QStringLiteral("Verified")));
        QVERIFY(panes.overviewPane()->plainText().contains(QStringLiteral("/foo?param=Value&Pet=dog")));

        HeadersModel *headers = panes.headersPane()->model();
        QCOMPARE(headers->rowCount(), capture.request.headers.size());
        for (int row = 0; row < headers->rowCount(); ++row) {
            QCOMPARE(headers->index(row, HeadersModel::NameColumn).data().toString(),
                     QString::fromLatin1(capture.request.headers.at(row).name));
        }
        QVERIFY(panes.headersPane()->allLines().startsWith(QStringLiteral("POST /foo?param=Value&Pet=dog HTTP/1.1\nHost: example.com")));

        BodyPane *body = panes.bodyPane();
        QVERIFY(body->isJson());
        QCOMPARE(body->currentView(), BodyPane::View::Pretty);
        QVERIFY(body->treeModel()->indexForPath(QStringLiteral("hello")).isValid());
        QCOMPARE(body->hexView()->rowCount(), 2); // 18 bytes
        QCOMPARE(body->prettyEdit()->toPlainText(), QStringLiteral("{\n  \"hello\": \"world\"\n}"));

        RawPane *raw = panes.rawPane();
        QVERIFY(!raw->showsHex());
        QVERIFY(raw->textView()->toPlainText().startsWith(QStringLiteral("POST /foo")));
        raw->setLineEndMarkers(true);
        QVERIFY(raw->textView()->toPlainText().contains(QStringLiteral("HTTP/1.1\\r\\n\n")));
    }

    void signatureStepsAndLinkedLines()
    {
        const Capture::StoredCapture capture = signedCapture(true);
        SignaturePane pane;
        pane.setCapture(capture);
        QCOMPARE(pane.signatureCount(), 1);
        QVERIFY(pane.stepsView()->topLevelItemCount() >= 4);
        QVERIFY(pane.detailsText().contains(QStringLiteral("test-shared-secret")));

        SigningStringView *lines = pane.signingStringView();
        QCOMPARE(lines->lineCount(), 4); // date, @authority, content-type, @signature-params
        QVERIFY(lines->lineText(0).startsWith(QStringLiteral("\"date\": Tue, 20 Apr 2021")));
        lines->activateLine(0);
        QCOMPARE(lines->highlightedRawLines().size(), 1);
        QVERIFY(lines->rawLineText(lines->highlightedRawLines().first()).startsWith(QStringLiteral("Date: Tue")));
        lines->activateLine(2);
        QVERIFY(lines->rawLineText(lines->highlightedRawLines().value(0, -1)).startsWith(QStringLiteral("Content-Type:")));
    }

    void failedVerdictShowsProblems()
    {
        const Capture::StoredCapture capture = signedCapture(false); // strict: the digest is not signed
        QCOMPARE(capture.annotation.verdict, Capture::Verdict::Invalid);
        const QJsonObject verdict = QJsonDocument::fromJson(capture.annotation.verificationJson).object();
        const QString firstProblem = verdict.value(QStringLiteral("problems")).toArray().first().toObject().value(QStringLiteral("message")).toString();
        QVERIFY(!firstProblem.isEmpty());
        OverviewPane overview;
        overview.setCapture(capture);
        QVERIFY(overview.plainText().contains(QStringLiteral("Invalid")));
        QVERIFY(overview.plainText().contains(firstProblem));
    }

    void diffBoxFindsFirstDifference()
    {
        const QByteArray ours = "\"date\": Tue\n\"@authority\": example.com\n\"@signature-params\": x";
        const StringDiffBox::Difference same = StringDiffBox::compare(ours, ours);
        QVERIFY(same.equal);
        const StringDiffBox::Difference port = StringDiffBox::compare("\"date\": Tue\n\"@authority\": example.com:443\n", ours);
        QVERIFY(!port.equal);
        QCOMPARE(port.offset, qsizetype(ours.indexOf("\n\"@sig")));
        QCOMPARE(port.line, 2);
        QCOMPARE(port.expected, QStringLiteral(":"));
        QCOMPARE(port.actual, QStringLiteral("\\n"));
        QCOMPARE(StringDiffBox::describe(port),
                 QStringLiteral("Differs at byte %1, line 2: expected ':' got '\\n'.").arg(port.offset));

        StringDiffBox box;
        box.setReceived(ours);
        box.setPasted(QString::fromUtf8(ours) + QStringLiteral("\r\n")); // a pasted trailing newline is ignored
        QVERIFY(box.difference().equal);
        QByteArray changed = ours;
        changed[3] = 'X';
        box.setPasted(QString::fromUtf8(changed));
        QCOMPARE(box.difference().offset, 3);
        QCOMPARE(box.difference().line, 1);
        QVERIFY(box.resultText().contains(QStringLiteral("Differs at byte 3, line 1: expected 'X' got 't'")));
        // shorter paste: the difference is at its end
        const StringDiffBox::Difference shorter = StringDiffBox::compare(ours.first(10), ours);
        QCOMPARE(shorter.offset, 10);
        QCOMPARE(shorter.expected, StringDiffBox::tr("end of text"));
    }

    void conversationEndedShowsItsSummary()
    {
        const auto sample = Events::samplePayload(QStringLiteral("conversation-ended"));
        QVERIFY2(sample.has_value(), qPrintable(sample ? QString() : sample.error()));
        Capture::StoredCapture capture;
        capture.request = Capture::parseRaw(requestWithBody(*sample));
        DetailPanes panes;
        panes.showCapture(capture);
        EventPane *event = panes.eventPane();
        QVERIFY(event->decoded().isRecognized());
        QCOMPARE(event->decoded().eventType, QStringLiteral("Conversation Ended"));
        QVERIFY(!event->decoded().summary.isEmpty());
        QVERIFY(event->summaryText().startsWith(QStringLiteral("Conversation Ended — ")));
        QVERIFY(event->summaryText().contains(event->decoded().summary));
        QVERIFY(event->fieldsView()->topLevelItemCount() >= 4);
        // participants is an array of objects: shown as a table
        QVERIFY(event->tableView()->rowCount() > 0);
        QVERIFY(event->tableView()->columnCount() > 0);
        QVERIFY(event->matchText().contains(QStringLiteral("confidence")));

        // A retry: the analyzer's timeline anomaly, stored with the capture, is shown too.
        capture.annotation.eventJson = R"({"type":"Conversation Ended","anomalies":[{"code":"duplicate-delivery",)"
                                       R"("message":"Capture 2 repeats capture 1 byte for byte.","captureIds":[1,2]}]})";
        panes.showCapture(capture);
        QVERIFY2(event->problemsText().contains(QStringLiteral("Capture 2 repeats capture 1 byte for byte.")),
                 qPrintable(event->problemsText()));
        QVERIFY(event->problemsText().contains(QStringLiteral("duplicate-delivery")));
    }

    void undocumentedCouponShowsIdentifiersAndTree()
    {
        const auto sample = Events::samplePayload(QStringLiteral("coupon-creation"));
        QVERIFY(sample.has_value());
        EventPane pane;
        pane.setRequest(Capture::parseRaw(requestWithBody(*sample)));
        QCOMPARE(pane.decoded().eventType, QStringLiteral("Coupon Creation"));
        QVERIFY(!pane.decoded().documented);
        QStringList identifiers;
        for (int i = 0; i < pane.identifiersView()->topLevelItemCount(); ++i)
            identifiers.append(pane.identifiersView()->topLevelItem(i)->text(0) + u'=' + pane.identifiersView()->topLevelItem(i)->text(1));
        QVERIFY2(identifiers.contains(QStringLiteral("couponId=cp-1001")), qPrintable(identifiers.join(u',')));
        QVERIFY(pane.treeModel()->indexForPath(QStringLiteral("code")).isValid());
        // the tree keeps the payload's order: "type" first
        QCOMPARE(pane.treeModel()->index(0, 0, pane.treeModel()->index(0, 0)).data().toString(), QStringLiteral("type"));
    }

    void nonJsonBodyIsReadable()
    {
        const QByteArray body("caf\xe9 \x00\x01 not json", 16);
        Capture::StoredCapture capture;
        capture.request = Capture::parseRaw(requestWithBody(body, "text/plain"));
        DetailPanes panes;
        panes.showCapture(capture);
        QVERIFY(!panes.bodyPane()->isJson());
        QCOMPARE(panes.bodyPane()->currentView(), BodyPane::View::Text);
        QCOMPARE(panes.bodyPane()->textEdit()->toPlainText(), QStringLiteral("caf\\xe9 ␀␁ not json"));
        QVERIFY(panes.eventPane()->summaryText().contains(QStringLiteral("Unrecognised")));
        QVERIFY(!panes.eventPane()->decoded().problems.isEmpty());
    }

    void bigBodyOpensInHex()
    {
        QByteArray body(16 * 1024 * 1024, 'a');
        body[5] = '\xff';
        Capture::StoredCapture capture;
        capture.request = Capture::parseRaw(requestWithBody(body, "application/octet-stream"));
        QCOMPARE(capture.request.bodyView().size(), body.size());
        DetailPanes panes;
        panes.resize(900, 600);
        panes.showCapture(capture);
        QCOMPARE(panes.bodyPane()->currentView(), BodyPane::View::Hex);
        QCOMPARE(panes.bodyPane()->hexView()->rowCount(), qint64(1024 * 1024));
        QVERIFY(panes.rawPane()->showsHex());
        HexView *hex = panes.bodyPane()->hexView();
        hex->setSelection(4, 3);
        QCOMPARE(hex->selectedText(), QStringLiteral("61 ff 61"));
        // painting the last page touches only the visible rows
        panes.setCurrentWidget(panes.bodyPane());
        hex->setSelection(body.size() - 1, 1);
        const QImage image = panes.grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY(hex->width() > 0);
    }

    void rejectedCaptureShowsReason()
    {
        Capture::StoredCapture capture;
        capture.request = Capture::parseRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
        QVERIFY(capture.request.isRejected());
        DetailPanes panes;
        panes.showCapture(capture);
        const QString text = panes.overviewPane()->plainText();
        QVERIFY(text.contains(QStringLiteral("Rejected")));
        QVERIFY(text.contains(capture.request.rejection.code));
        QVERIFY(text.contains(capture.request.rejection.reason));
    }

    // Renders every tab to PNG when HOOKSCOPE_SCREENSHOT_DIR is set (for looking at the panes).
    void screenshots()
    {
        const QString folder = qEnvironmentVariable("HOOKSCOPE_SCREENSHOT_DIR");
        if (folder.isEmpty())
            QSKIP("set HOOKSCOPE_SCREENSHOT_DIR to write screenshots");
        QDir().mkpath(folder);
        DetailPanes panes;
        panes.resize(1100, 760);
        panes.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panes));
        const auto save = [&](const QString &name) {
            for (int tab = 0; tab < panes.count(); ++tab) {
                panes.setCurrentIndex(tab);
                QCoreApplication::processEvents();
                QVERIFY(panes.grab().save(folder + u'/' + name + u'-' + QString::number(tab) + QStringLiteral(".png")));
            }
        };
        Capture::StoredCapture capture = signedCapture(false);
        panes.showCapture(capture);
        panes.signaturePane()->signingStringView()->activateLine(1);
        panes.signaturePane()->diffBox()->setPasted(
            QString::fromUtf8(QJsonDocument::fromJson(capture.annotation.verificationJson)
                                  .object().value(QStringLiteral("signature")).toObject().value(QStringLiteral("signingString"))
                                  .toString().toUtf8().replace("example.com", "example.com:443")));
        save(QStringLiteral("signed"));
        panes.setCurrentWidget(panes.bodyPane());
        panes.bodyPane()->setCurrentView(BodyPane::View::Hex);
        panes.bodyPane()->hexView()->setSelection(2, 7);
        QCoreApplication::processEvents();
        QVERIFY(panes.grab().save(folder + QStringLiteral("/signed-hex.png")));
        capture = {};
        capture.request = Capture::parseRaw(requestWithBody(*Events::samplePayload(QStringLiteral("conversation-ended"))));
        panes.showCapture(capture);
        save(QStringLiteral("event"));
        capture.request = Capture::parseRaw(requestWithBody(*Events::samplePayload(QStringLiteral("coupon-charged"))));
        panes.showCapture(capture);
        save(QStringLiteral("coupon"));
    }
};

QTEST_MAIN(TestDetailPanes)
#include "tst_detailpanes.moc"
