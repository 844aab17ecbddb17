#include "capturefilterproxy.h"
#include "capturelistmodel.h"
#include "curlcommand.h"
#include "endpointmanager.h"
#include "filterbar.h"
#include "mainwindow.h"
#include "settings.h"

#include <QApplication>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

/// The main window on a temporary store, listening on a real socket (port 0).
class TestMainWindow final : public QObject
{
    Q_OBJECT

private:
    static std::unique_ptr<Settings> settingsIn(const QTemporaryDir &dir, quint16 port)
    {
        auto settings = std::make_unique<Settings>(dir.filePath(QStringLiteral("settings.ini")));
        settings->setStorePath(dir.filePath(QStringLiteral("captures.db")));
        EndpointConfig endpoint;
        endpoint.name = QStringLiteral("main");
        endpoint.port = port;
        settings->setEndpoints({endpoint});
        return settings;
    }

    static QByteArray send(const QUrl &url, const QByteArray &request)
    {
        QTcpSocket socket;
        socket.connectToHost(url.host(), quint16(url.port()));
        if (!socket.waitForConnected(5000))
            return {};
        socket.write(request);
        socket.waitForBytesWritten(5000);
        QByteArray answer;
        while (!answer.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
            answer += socket.readAll();
        return answer;
    }

private Q_SLOTS:
    void filterBoxShowsValidAndInvalid()
    {
        FilterBar bar;
        bar.setDebounceMs(10);
        QSignalSpy applied(&bar, &FilterBar::filterChanged);
        QCOMPARE(bar.state(), FilterBar::State::Empty);
        QTest::keyClicks(bar.lineEdit(), QStringLiteral("method:POST and"));
        QCOMPARE(bar.state(), FilterBar::State::Invalid);
        QVERIFY(bar.lineEdit()->styleSheet().contains(QStringLiteral("#c01c28")));
        QVERIFY2(bar.lineEdit()->toolTip().contains(QStringLiteral("Column 16")), qPrintable(bar.lineEdit()->toolTip()));
        QTest::keyClicks(bar.lineEdit(), QStringLiteral(" not verdict:verified"));
        QCOMPARE(bar.state(), FilterBar::State::Valid);
        QVERIFY(bar.lineEdit()->styleSheet().contains(QStringLiteral("#2ea043")));
        QTRY_COMPARE(applied.size(), 1); // debounced: one filter for the whole burst of typing
        QCOMPARE(applied.at(0).at(1).toString(), QStringLiteral("method:POST and not verdict:verified"));
        bar.lineEdit()->clear();
        QCOMPARE(bar.state(), FilterBar::State::Empty);
        QVERIFY(bar.lineEdit()->styleSheet().isEmpty());
    }

    void captureOverRealSocketAppearsWithVerdict()
    {
        QTemporaryDir dir;
        auto settings = settingsIn(dir, 0);
        MainWindow window(settings.get());
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.endpointManager()->isListening());
        const QUrl url = window.endpointManager()->primaryUrl();
        QVERIFY(url.port() > 0);
        QVERIFY(window.bannerText().isEmpty());

        const QByteArray answer = send(url, "POST /hooks/order HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                            "Content-Length: 11\r\n\r\n{\"id\":\"o1\"}");
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        const QByteArray rejected = send(url, "POST /x HTTP/1.1\r\nContent-Length: nope\r\n\r\n");
        QVERIFY2(rejected.startsWith("HTTP/1.1 400"), rejected.constData());

        CaptureListModel *model = window.captureModel();
        QTRY_COMPARE(model->rowCount(), 2);
        QCOMPARE(model->index(0, CaptureListModel::Path).data().toString(), QStringLiteral("/hooks/order"));
        QCOMPARE(model->index(0, CaptureListModel::Endpoint).data().toString(), QStringLiteral("main"));
        // verified on the worker thread: unsigned, and the rejected one says so
        QTRY_COMPARE(model->index(0, 0).data(CaptureListModel::VerdictRole).toInt(), int(Capture::Verdict::Unsigned));
        QTRY_COMPARE(model->index(1, 0).data(CaptureListModel::VerdictRole).toInt(), int(Capture::Verdict::Rejected));
        QCOMPARE(model->index(1, CaptureListModel::Status).data().toInt(), 400);
        QCOMPARE(model->rejectedCount(), 1);

        // selection drives the panes; j and k move it
        window.captureView()->setCurrentIndex(window.filterProxy()->index(0, 0));
        QTRY_COMPARE(window.shownCaptureId(), 1);
        window.captureView()->setFocus();
        QTest::keyClick(window.captureView(), Qt::Key_J);
        QTRY_COMPARE(window.shownCaptureId(), 2);
        QTest::keyClick(window.captureView(), Qt::Key_K);
        QTRY_COMPARE(window.shownCaptureId(), 1);

        // the filter box narrows the list
        window.filterBar()->setText(QStringLiteral("verdict:rejected"));
        QTRY_COMPARE(window.filterProxy()->rowCount(), 1);
        QCOMPARE(window.filterProxy()->index(0, 0).data(CaptureListModel::IdRole).toLongLong(), 2);
    }

    void busyPortShowsBannerInsteadOfCrashing()
    {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        QTemporaryDir dir;
        auto settings = settingsIn(dir, blocker.serverPort());
        MainWindow window(settings.get());
        QVERIFY(!window.endpointManager()->isListening());
        QVERIFY2(window.bannerText().contains(QString::number(blocker.serverPort())), qPrintable(window.bannerText()));
    }

    void curlCommandKeepsMethodTargetHeadersAndBinaryBody()
    {
        Http::CapturedRequest request;
        request.method = "PATCH";
        request.target = "/a/../b?x=1";
        request.raw = QByteArray("PATCH /a/../b?x=1 HTTP/1.1\r\nX-Sig: it's\r\nContent-Length: 3\r\n\r\n") + QByteArray("a\0\xff", 3);
        request.headers = {{"X-Sig", "it's", 0, 0}, {"Content-Length", "3", 0, 0}};
        request.bodyOffset = request.raw.size() - 3;
        request.bodyLength = 3;
        const QString curl = curlCommand(request, QUrl(QStringLiteral("http://127.0.0.1:9000/")));
        QVERIFY2(curl.contains(QStringLiteral("-X 'PATCH'")), qPrintable(curl));
        QVERIFY(curl.contains(QStringLiteral("'http://127.0.0.1:9000/a/../b?x=1'")));
        QVERIFY(curl.contains(QStringLiteral("-H 'X-Sig: it'\\''s'")));
        QVERIFY(!curl.contains(QStringLiteral("Content-Length")));
        QVERIFY(curl.contains(QStringLiteral("--data-binary $'a\\x00\\xff'")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
