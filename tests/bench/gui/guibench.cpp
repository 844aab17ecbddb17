// GUI benchmark: the capture list with a million stored captures, and the window under a
// 5,000 requests/s stream. Prints measured values beside the targets.
//   hookscope_guibench load [--rows N] [--store FILE]
//   hookscope_guibench live [--rate R] [--seconds S]
#include "capture/store.h"
#include "capturefilterproxy.h"
#include "capturelistmodel.h"
#include "endpointmanager.h"
#include "mainwindow.h"
#include "settings.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

namespace {

double peakRssMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return 0;
}

void row(const char *metric, const QString &measured, const char *target, bool ok)
{
    std::printf("| %-38s | %14s | %-12s | %-4s |\n", metric, qPrintable(measured), target, ok ? "ok" : "MISS");
    std::fflush(stdout);
}

// Fills a store with rows straight through SQL in one transaction (the listener path would take
// minutes for a million).
bool fillStore(const QString &path, int rows)
{
    {
        auto store = Capture::Store::open(path); // creates the schema
        if (!store) {
            std::fprintf(stderr, "%s\n", qPrintable(store.error()));
            return false;
        }
        (*store)->close();
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fill"));
    db.setDatabaseName(path);
    if (!db.open())
        return false;
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA synchronous = OFF"));
    db.transaction();
    QSqlQuery capture(db), raw(db);
    capture.prepare(QStringLiteral("INSERT INTO captures (id, received_at, last_byte_at, endpoint, method, target, body_size,"
                                   " response_status, reject_status, verdict, digest_status, signature_status, problem_codes,"
                                   " event_type) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    raw.prepare(QStringLiteral("INSERT INTO capture_raw (id, raw) VALUES (?, ?)"));
    const QStringList endpoints = {QStringLiteral("main"), QStringLiteral("billing"), QStringLiteral("staging")};
    const QStringList events = {QStringLiteral("invoice.paid"), QStringLiteral("order.created"), QStringLiteral("customer.updated")};
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - qint64(rows) * 100;
    for (int i = 1; i <= rows; ++i) {
        const bool post = i % 5 != 0;
        const int verdict = i % 97 == 0 ? 5 : i % 13 == 0 ? 2 : i % 29 == 0 ? 4 : 1;
        const QByteArray path = "/hooks/" + endpoints.at(i % 3).toLatin1() + "/" + QByteArray::number(i % 1000);
        const QByteArray body = "{\"id\":\"evt_" + QByteArray::number(i) + "\",\"type\":\"" + events.at(i % 3).toLatin1()
            + (i % 50 == 0 ? "\",\"coupon\":\"HALF\"}" : "\"}");
        capture.addBindValue(i);
        capture.addBindValue(start + qint64(i) * 100);
        capture.addBindValue(start + qint64(i) * 100 + 2);
        capture.addBindValue(endpoints.at(i % 3));
        capture.addBindValue(QString::fromLatin1(post ? "POST" : "GET"));
        capture.addBindValue(QString::fromLatin1(path));
        capture.addBindValue(body.size());
        capture.addBindValue(verdict == 5 ? 400 : 200);
        capture.addBindValue(verdict == 5 ? 400 : 0);
        capture.addBindValue(verdict);
        capture.addBindValue(verdict == 2 ? QStringLiteral("mismatch") : QStringLiteral("valid"));
        capture.addBindValue(verdict == 1 ? QStringLiteral("verified") : verdict == 4 ? QStringLiteral("key-unknown") : QStringLiteral("invalid"));
        capture.addBindValue(verdict == 2 ? QStringLiteral("digest-mismatch") : QString(QLatin1StringView("")));
        capture.addBindValue(events.at(i % 3));
        if (!capture.exec()) {
            std::fprintf(stderr, "%s\n", qPrintable(capture.lastError().text()));
            return false;
        }
        raw.addBindValue(i);
        raw.addBindValue(QByteArray((post ? "POST " : "GET ") + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                    "Digest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\r\nContent-Length: "
                                    + QByteArray::number(body.size()) + "\r\n\r\n" + body));
        raw.exec();
    }
    db.commit();
    return true;
}

Settings *benchSettings(const QTemporaryDir &dir, const QString &store, bool listen)
{
    auto *settings = new Settings(dir.filePath(QStringLiteral("bench.ini")));
    settings->setStorePath(store);
    settings->setListenAtStartup(listen);
    EndpointConfig endpoint;
    endpoint.name = QStringLiteral("main");
    endpoint.port = 0;
    settings->setEndpoints({endpoint});
    return settings;
}

int loadBench(int rows, QString storePath)
{
    QTemporaryDir dir;
    if (storePath.isEmpty())
        storePath = dir.filePath(QStringLiteral("captures.db"));
    if (!QFile::exists(storePath)) {
        QElapsedTimer fill;
        fill.start();
        if (!fillStore(storePath, rows))
            return 1;
        std::printf("store: %d captures written in %.1f s (%s)\n", rows, fill.elapsed() / 1000.0, qPrintable(storePath));
    }
    std::printf("\n| %-38s | %14s | %-12s | %-4s |\n|%s|%s|%s|%s|\n", "metric", "measured", "target", "",
                "----------------------------------------", "----------------", "--------------", "------");
    std::unique_ptr<Settings> settings(benchSettings(dir, storePath, false));
    QElapsedTimer clock;
    clock.start();
    MainWindow window(settings.get());
    qint64 firstPaint = -1;
    QTreeView *view = window.captureView();
    struct PaintWatcher : QObject
    {
        std::function<void()> onPaint;
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Paint && onPaint)
                onPaint();
            return false;
        }
    } watcher;
    watcher.onPaint = [&] {
        if (firstPaint < 0 && view->model()->rowCount() > 0)
            firstPaint = clock.elapsed();
    };
    view->viewport()->installEventFilter(&watcher);
    window.show();
    qint64 loaded = -1;
    QObject::connect(window.captureModel(), &CaptureListModel::loadFinished, [&] { loaded = clock.elapsed(); });
    while (firstPaint < 0 || loaded < 0) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        if (clock.elapsed() > 120'000)
            break;
    }
    row("first paint with rows (ms)", QString::number(firstPaint), "<= 1500", firstPaint >= 0 && firstPaint <= 1500);
    row("all rows in the list (ms, info)", QString::number(loaded), "-", true);
    row("rows listed", QString::number(window.captureModel()->rowCount()), "-", window.captureModel()->rowCount() == rows);

    const auto filterTime = [&](const QString &text) {
        QElapsedTimer t;
        t.start();
        qint64 done = -1;
        int visible = 0;
        auto c = QObject::connect(window.filterProxy(), &CaptureFilterProxy::filterApplied, [&](int v, qint64) {
            done = t.elapsed();
            visible = v;
        });
        window.filterProxy()->setFilter(Capture::CaptureFilter::parse(text).value());
        while (done < 0 && t.elapsed() < 120'000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QObject::disconnect(c);
        return std::pair{done, visible};
    };
    auto [typical, typicalRows] = filterTime(QStringLiteral("method:POST and path:/hooks/billing and not verdict:verified"));
    row("filter 'method:POST and path:... and not verdict:verified' (ms)", QString::number(typical), "<= 300", typical <= 300);
    std::printf("  (%d rows match)\n", typicalRows);
    auto [status, statusRows] = filterTime(QStringLiteral("status:>=400 or problem:digest-mismatch"));
    row("filter 'status:>=400 or problem:…' (SQL, ms)", QString::number(status), "info", true);
    auto [body, bodyRows] = filterTime(QStringLiteral("body:\"coupon\""));
    row("filter 'body:\"coupon\"' (SQL, ms)", QString::number(body), "info", true);
    std::printf("  (%d and %d rows match)\n", statusRows, bodyRows);
    auto [cleared, all] = filterTime(QString());
    row("clear the filter (ms)", QString::number(cleared), "<= 300", cleared <= 300);
    const double rss = peakRssMiB();
    row("peak RSS (MiB)", QString::number(rss, 'f', 0), "<= 400", rss <= 400);
    Q_UNUSED(all);
    return 0;
}

// Sends requests at a steady rate over keep-alive connections, blocking sockets, one thread each.
void sender(quint16 port, double ratePerThread, int seconds, std::atomic<qint64> *sent, std::atomic<bool> *stop)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        return;
    const QByteArray body = "{\"type\":\"invoice.paid\",\"id\":\"evt_1\"}";
    const QByteArray request = "POST /hooks/live HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    QElapsedTimer clock;
    clock.start();
    qint64 count = 0;
    char buffer[4096];
    while (!stop->load() && clock.elapsed() < seconds * 1000) {
        const qint64 due = qint64(count * 1000.0 / ratePerThread);
        if (clock.elapsed() < due) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            continue;
        }
        if (::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) < 0)
            break;
        QByteArray answer;
        while (!answer.contains("\r\n\r\n")) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                goto done;
            answer.append(buffer, n);
        }
        ++count;
        sent->fetch_add(1);
    }
done:
    ::close(fd);
}

int liveBench(double rate, int seconds)
{
    QTemporaryDir dir;
    std::unique_ptr<Settings> settings(benchSettings(dir, dir.filePath(QStringLiteral("captures.db")), true));
    MainWindow window(settings.get());
    window.show();
    const QUrl url = window.endpointManager()->primaryUrl();
    if (!url.isValid()) {
        std::fprintf(stderr, "not listening: %s\n", qPrintable(window.bannerText()));
        return 1;
    }
    // event-loop latency: how late a 10 ms timer fires
    QElapsedTimer tick;
    tick.start();
    qint64 lastTick = 0, worstLate = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = tick.elapsed();
        worstLate = qMax(worstLate, now - lastTick - 10);
        lastTick = now;
    });
    QList<qint64> insertsPerSecond(seconds + 5, 0);
    QObject::connect(window.filterProxy(), &QAbstractItemModel::rowsInserted, [&] {
        const qsizetype second = tick.elapsed() / 1000;
        if (second < insertsPerSecond.size())
            ++insertsPerSecond[second];
    });
    std::atomic<qint64> sent = 0;
    std::atomic<bool> stop = false;
    constexpr int Connections = 16;
    std::vector<std::thread> threads;
    // let the window show and paint once before measuring
    while (tick.elapsed() < 500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    tick.restart();
    lastTick = tick.elapsed();
    probe.start();
    for (int i = 0; i < Connections; ++i)
        threads.emplace_back(sender, quint16(url.port()), rate / Connections, seconds, &sent, &stop);
    while (tick.elapsed() < qint64(seconds) * 1000 + 1500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    stop = true;
    for (std::thread &t : threads)
        t.join();
    probe.stop();
    const qint64 maxInserts = *std::max_element(insertsPerSecond.begin(), insertsPerSecond.end());
    std::printf("\n| %-38s | %14s | %-12s | %-4s |\n|%s|%s|%s|%s|\n", "metric", "measured", "target", "",
                "----------------------------------------", "----------------", "--------------", "------");
    row("requests answered per second", QString::number(double(sent) / seconds, 'f', 0), ">= 5000 asked", double(sent) / seconds >= rate * 0.95);
    row("rows in the list", QString::number(window.captureModel()->rowCount()), "= answered", window.captureModel()->rowCount() == sent);
    row("worst event-loop stall (ms)", QString::number(worstLate), "<= 50", worstLate <= 50);
    row("list inserts in the busiest second", QString::number(maxInserts), "<= 10", maxInserts <= 10);
    row("peak RSS (MiB)", QString::number(peakRssMiB(), 'f', 0), "info", true);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&](const char *name, const QString &fallback) {
        const qsizetype at = args.indexOf(QLatin1StringView(name));
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
    };
    if (args.value(1) == QLatin1StringView("live"))
        return liveBench(option("--rate", QStringLiteral("5000")).toDouble(), option("--seconds", QStringLiteral("10")).toInt());
    return loadBench(option("--rows", QStringLiteral("1000000")).toInt(), option("--store", QString()));
}
