// The capture store on real SQLite files: group commit, reading back, annotations, migrations,
// and files that are not capture stores.
#include "capture/keyusage.h"
#include "capture/schema.h"
#include "capture/store.h"
#include "capture/storeddocument.h"
#include "capture/storereader.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

namespace {

std::shared_ptr<Http::CapturedRequest> request(const QByteArray &raw)
{
    auto capture = std::make_shared<Http::CapturedRequest>(Capture::parseRaw(raw));
    capture->firstByteAt = QDateTime::currentDateTimeUtc();
    capture->lastByteAt = capture->firstByteAt;
    capture->endpoint = QStringLiteral("test");
    capture->responseStatus = 200;
    return capture;
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendAndLoad();
    void groupCommitAcknowledgesEveryCapture();
    void annotationsAndPins();
    void packsLongDocuments();
    void packedDocumentsStandAlone();
    void removeCaptures();
    void rejectsForeignFiles();
    void refusesNewerSchema();
    void migratesSchemaOneStores();
    void readerSeesWalWhileWriting();
    void checkpointsWhileTheWriterKeepsWriting();
    void logStartsOverUnderSustainedWriting();
    void completionsRunOnTheWriterThread();
    void annotationsWaitForAWriterHeldUp();
};

void TestStore::appendAndLoad()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    const QByteArray raw = QByteArray("POST /a?b=c HTTP/1.1\r\nHost: x\r\nX-Case: V\r\nContent-Length: 4\r\n\r\n")
                           + QByteArray("\x00\x01\xfe\xff", 4);
    qint64 id = 0;
    {
        auto store = Capture::Store::open(path);
        QVERIFY2(store.has_value(), store ? "" : qPrintable(store.error()));
        (*store)->append(request(raw), [&id](qint64 stored, const QString &error) {
            QVERIFY(error.isEmpty());
            id = stored;
        });
        (*store)->flush();
        QVERIFY(id > 0);
        QCOMPARE((*store)->committedCount(), 1);
    }
    auto reader = Capture::StoreReader::open(path);
    QVERIFY(reader.has_value());
    QCOMPARE(reader->count(), 1);
    const auto loaded = reader->load(id);
    QVERIFY(loaded.has_value());
    QCOMPARE(loaded->request.raw, raw);
    QCOMPARE(loaded->request.method, QByteArray("POST"));
    QCOMPARE(loaded->request.target, QByteArray("/a?b=c"));
    QCOMPARE(loaded->request.header("x-case")->name, QByteArray("X-Case"));
    QCOMPARE(loaded->request.bodyView().size(), 4);
    QCOMPARE(loaded->request.endpoint, QStringLiteral("test"));
    QCOMPARE(loaded->annotation.verdict, Capture::Verdict::Pending);
    QVERIFY(!reader->load(id + 100).has_value());

    const QList<Capture::CaptureSummary> summaries = reader->summaries(0, 10);
    QCOMPARE(summaries.size(), 1);
    QCOMPARE(summaries.first().bodySize, 4);
    QCOMPARE(summaries.first().path, QByteArray("/a?b=c"));

    // Text of any script goes in and comes back as it was (bound as UTF-8).
    {
        auto store = Capture::Store::open(path);
        QVERIFY(store.has_value());
        Capture::Annotation annotation;
        annotation.id = id;
        annotation.verdict = Capture::Verdict::Unsigned;
        annotation.eventType = QStringLiteral("Coupon Création");
        annotation.eventSummary = QString::fromUtf8("Gutschein \xc3\xbc-1 \xe2\x82\xac 5 \xf0\x9f\x8e\x9f eingel\xc3\xb6st");
        annotation.digestStatus = QString(); // NULL
        annotation.signatureStatus = QStringLiteral("");
        (*store)->annotate(annotation);
        (*store)->flush();
    }
    const auto annotated = reader->load(id);
    QVERIFY(annotated.has_value());
    QCOMPARE(annotated->annotation.eventType, QStringLiteral("Coupon Création"));
    QCOMPARE(annotated->annotation.eventSummary, QString::fromUtf8("Gutschein \xc3\xbc-1 \xe2\x82\xac 5 \xf0\x9f\x8e\x9f eingel\xc3\xb6st"));
}

void TestStore::groupCommitAcknowledgesEveryCapture()
{
    QTemporaryDir dir;
    auto store = Capture::Store::open(dir.filePath(QStringLiteral("c.sqlite")));
    QVERIFY(store.has_value());
    QSignalSpy stored(store->get(), &Capture::Store::captureStored);
    std::atomic<int> acknowledged = 0;
    std::atomic<qint64> lastId = 0;
    constexpr int count = 5000;
    for (int i = 0; i < count; ++i) {
        (*store)->append(request("GET /" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                         [&](qint64 id, const QString &error) {
            if (error.isEmpty() && id > lastId.load()) {
                lastId = id;
                ++acknowledged;
            }
        });
    }
    (*store)->flush();
    QCOMPARE(acknowledged.load(), count); // each in order, each with a fresh id
    QCOMPARE(stored.size(), count);
    QCOMPARE((*store)->committedCount(), count);
}

void TestStore::annotationsAndPins()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    auto store = Capture::Store::open(path);
    QVERIFY(store.has_value());
    auto capture = request("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    (*store)->append(capture);
    (*store)->flush();
    QVERIFY(capture->id > 0);

    QSignalSpy annotated(store->get(), &Capture::Store::annotated);
    Capture::Annotation annotation;
    annotation.id = capture->id;
    annotation.verdict = Capture::Verdict::Invalid;
    annotation.digestStatus = QStringLiteral("mismatch");
    annotation.signatureStatus = QStringLiteral("verified");
    annotation.problemCodes = {QStringLiteral("digest-mismatch"), QStringLiteral("body-reserialized")};
    annotation.verificationJson = R"({"verdict":"failed"})";
    annotation.eventType = QStringLiteral("Conversation Ended");
    (*store)->annotate(annotation);
    (*store)->setPinned(capture->id, true);
    (*store)->setComment(capture->id, QStringLiteral("retry of #3"));
    (*store)->flush();
    QCOMPARE(annotated.size(), 1);

    auto reader = Capture::StoreReader::open(path);
    const auto loaded = reader->load(capture->id);
    QCOMPARE(loaded->annotation.verdict, Capture::Verdict::Invalid);
    QCOMPARE(loaded->annotation.problemCodes, annotation.problemCodes);
    QCOMPARE(loaded->annotation.verificationJson, annotation.verificationJson);
    QCOMPARE(loaded->annotation.eventType, annotation.eventType);
    QVERIFY(loaded->pinned);
    QCOMPARE(loaded->comment, QStringLiteral("retry of #3"));
    const auto summary = reader->summaries(0, 1).value(0);
    QCOMPARE(summary.verdict, Capture::Verdict::Invalid);
    QCOMPARE(summary.digestStatus, quint8(2));    // "mismatch"
    QCOMPARE(summary.signatureStatus, quint8(1)); // "verified"
    QVERIFY(summary.pinned);
}

void TestStore::packedDocumentsStandAlone()
{
    // Documents packed one after another on one thread (which reuses its compression state)
    // each unpack alone, in any order, whatever was packed before them.
    QList<QByteArray> documents;
    QList<QByteArray> packed;
    for (int i = 0; i < 40; ++i) {
        QByteArray json = R"({"verdict":"verified","n":)" + QByteArray::number(i) + R"(,"text":")";
        for (int j = 0; j < 40 + i * 7; ++j)
            json += "step " + QByteArray::number((i * 31 + j) % 17) + ' ';
        json += i % 2 ? QByteArray(300 + i * 50, char('a' + i % 26)) : documents.value(i - 2).left(200);
        json += R"("})";
        bool isBlob = false;
        packed.append(Capture::StoredDocument::pack(json, &isBlob));
        QVERIFY(isBlob);
        documents.append(json);
    }
    for (qsizetype i = documents.size() - 1; i >= 0; --i)
        QCOMPARE(Capture::StoredDocument::unpack(packed.at(i), true), documents.at(i));
}

void TestStore::packsLongDocuments()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    auto store = Capture::Store::open(path);
    QVERIFY(store.has_value());
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        auto capture = request("POST /hook/" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        (*store)->append(capture);
        (*store)->flush();
        ids.append(capture->id);
    }
    // A verdict the size listen writes (about 3 KiB), with a verified signature of key k1.
    QByteArray steps;
    for (int i = 0; i < 30; ++i)
        steps += R"({"name":"step)" + QByteArray::number(i) + R"(","status":"passed","message":"Built 163 bytes from 4 components."},)";
    steps.chop(1);
    const QByteArray signature = R"({"status":"verified","keyId":"k1","key":{"thumbprint":"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"}})";
    const QByteArray verification = R"({"verdict":"verified","signature":)" + signature + R"(,"signatures":[)" + signature
                                    + R"(],"steps":[)" + steps + "]}";
    const QByteArray event = R"({"type":"Coupon Creation","summary":")" + QByteArray(400, 'x') + R"("})";
    QVERIFY(verification.size() > 2000);
    const auto annotate = [&](qint64 id, const QByteArray &verificationJson, const QByteArray &eventJson) {
        Capture::Annotation annotation;
        annotation.id = id;
        annotation.verdict = Capture::Verdict::Verified;
        annotation.signatureStatus = QStringLiteral("verified");
        annotation.verificationJson = verificationJson;
        annotation.eventJson = eventJson;
        (*store)->annotate(annotation);
    };
    annotate(ids[0], verification, event);
    annotate(ids[1], R"({"verdict":"unsigned"})", {});
    annotate(ids[2], verification, event);
    (*store)->flush();

    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("SELECT typeof(verification), length(verification), typeof(event)"
                                          " FROM capture_analysis ORDER BY id")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("blob"));
        QVERIFY2(query.value(1).toInt() < verification.size() / 2, qPrintable(query.value(1).toString()));
        QCOMPARE(query.value(2).toString(), QStringLiteral("blob"));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("text")); // short: stays readable text
        QCOMPARE(query.value(2).toString(), QStringLiteral("null"));
        // The third document is damaged on disk: its length says more than it holds.
        QVERIFY(query.exec(QStringLiteral("UPDATE capture_analysis SET verification = X'00100000FFFF' WHERE id = %1").arg(ids[2])));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));

    auto reader = Capture::StoreReader::open(path);
    QVERIFY(reader.has_value());
    const auto first = reader->load(ids[0]);
    QCOMPARE(first->annotation.verificationJson, verification);
    QCOMPARE(first->annotation.eventJson, event);
    QCOMPARE(reader->load(ids[1])->annotation.verificationJson, QByteArray(R"({"verdict":"unsigned"})"));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("capture %1 : .*damaged").arg(ids[2])));
    const auto damaged = reader->load(ids[2]);
    QVERIFY(damaged.has_value()); // the capture itself is intact
    QVERIFY(damaged->annotation.verificationJson.isEmpty());
    QCOMPARE(damaged->annotation.eventJson, event);

    // "Which captures did this key verify" reads packed documents, by kid and by thumbprint,
    // and passes over the damaged one.
    for (const auto &[kid, thumbprint] : {std::pair{QStringLiteral("k1"), QString()},
                                          std::pair{QStringLiteral("nope"), QStringLiteral("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")}}) {
        const auto usage = Capture::capturesVerifiedByKey(path, kid, thumbprint);
        QVERIFY2(usage.has_value(), usage ? "" : qPrintable(usage.error()));
        QCOMPARE(usage->size(), 1);
        QCOMPARE(usage->first().id, ids[0]);
    }

    // The codec alone: a round trip, and blobs that are not packed documents.
    bool isBlob = false;
    const QByteArray packed = Capture::StoredDocument::pack(verification, &isBlob);
    QVERIFY(isBlob);
    QCOMPARE(Capture::StoredDocument::unpack(packed, true), verification);
    QByteArray error;
    QVERIFY(Capture::StoredDocument::unpack(packed.left(packed.size() - 3), true, &error).isEmpty());
    QVERIFY2(error.contains("damaged"), error.constData());
    QVERIFY(Capture::StoredDocument::unpack("ab", true, &error).isEmpty());
    QVERIFY2(error.contains("no length"), error.constData());
    QVERIFY(Capture::StoredDocument::unpack(QByteArray("\xff\xff\xff\xffx", 5), true, &error).isEmpty());
    QVERIFY2(error.contains("claims"), error.constData());
}

void TestStore::removeCaptures()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    auto store = Capture::Store::open(path);
    QList<std::shared_ptr<Http::CapturedRequest>> captures;
    for (int i = 0; i < 3; ++i) {
        captures.append(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        (*store)->append(captures.last());
    }
    (*store)->flush();
    (*store)->remove({captures[1]->id});
    (*store)->flush();
    auto reader = Capture::StoreReader::open(path);
    QCOMPARE(reader->ids(), (QList<qint64>{captures[0]->id, captures[2]->id}));
    (*store)->remove({});
    (*store)->flush();
    QCOMPARE(reader->count(), 0);
}

void TestStore::rejectsForeignFiles()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("notes.txt"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    auto store = Capture::Store::open(path);
    QVERIFY(!store.has_value());
    QVERIFY2(store.error().contains(path), qPrintable(store.error()));
    QVERIFY(!Capture::StoreReader::open(dir.filePath(QStringLiteral("missing.sqlite"))).has_value());
    // The foreign file is left as it was.
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray(4096, 'x'));
}

void TestStore::refusesNewerSchema()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("future.sqlite"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("future"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version = %1").arg(Capture::SchemaVersion + 1));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("future"));
    auto store = Capture::Store::open(path);
    QVERIFY(!store.has_value());
    QVERIFY2(store.error().contains(QStringLiteral("newer")), qPrintable(store.error()));
}

void TestStore::migratesSchemaOneStores()
{
    // A store as schema 1 wrote it: the verdict and event documents inside the captures rows.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("v1.sqlite"));
    const QByteArray raw = "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
    const QString verification = QStringLiteral(
        R"({"verdict":"verified","signature":{"status":"verified","keyId":"k1","key":{"thumbprint":"T"}},"signatures":[]})");
    const QString event = QStringLiteral(R"({"type":"Coupon Creation"})");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        const char *const schemaOne[] = {
            "CREATE TABLE captures (id INTEGER PRIMARY KEY AUTOINCREMENT, received_at INTEGER NOT NULL,"
            " last_byte_at INTEGER NOT NULL, endpoint TEXT NOT NULL DEFAULT '', method TEXT NOT NULL DEFAULT '',"
            " target TEXT NOT NULL DEFAULT '', body_size INTEGER NOT NULL DEFAULT 0,"
            " response_status INTEGER NOT NULL DEFAULT 0, reject_status INTEGER NOT NULL DEFAULT 0,"
            " reject_code TEXT NOT NULL DEFAULT '', reject_reason TEXT NOT NULL DEFAULT '',"
            " reject_offset INTEGER NOT NULL DEFAULT -1, remote_address TEXT NOT NULL DEFAULT '',"
            " remote_port INTEGER NOT NULL DEFAULT 0, local_address TEXT NOT NULL DEFAULT '',"
            " local_port INTEGER NOT NULL DEFAULT 0, tls_protocol TEXT NOT NULL DEFAULT '',"
            " tls_cipher TEXT NOT NULL DEFAULT '', imported INTEGER NOT NULL DEFAULT 0,"
            " verdict INTEGER NOT NULL DEFAULT 0, digest_status TEXT NOT NULL DEFAULT '',"
            " signature_status TEXT NOT NULL DEFAULT '', problem_codes TEXT NOT NULL DEFAULT '',"
            " verification TEXT, event_type TEXT NOT NULL DEFAULT '', event_summary TEXT NOT NULL DEFAULT '',"
            " event TEXT, pinned INTEGER NOT NULL DEFAULT 0, comment TEXT NOT NULL DEFAULT '')",
            "CREATE TABLE capture_raw (id INTEGER PRIMARY KEY, raw BLOB NOT NULL)",
            "CREATE INDEX captures_received_at ON captures(received_at)",
            "PRAGMA user_version = 1",
        };
        for (const char *statement : schemaOne)
            QVERIFY2(query.exec(QString::fromLatin1(statement)), statement);
        QVERIFY(query.prepare(QStringLiteral(
            "INSERT INTO captures (received_at, last_byte_at, method, target, body_size, response_status, verdict,"
            " signature_status, verification, event_type, event_summary, event, comment)"
            " VALUES (1000, 1001, 'POST', '/hook', 2, 200, ?, 'verified', ?, 'Coupon Creation', 'summary', ?, 'kept')")));
        query.addBindValue(int(Capture::Verdict::Verified));
        query.addBindValue(verification);
        query.addBindValue(event);
        QVERIFY(query.exec());
        query.prepare(QStringLiteral("INSERT INTO capture_raw (id, raw) VALUES (1, ?)"));
        query.addBindValue(raw);
        QVERIFY(query.exec());
        // One capture written before its analysis: no documents.
        QVERIFY(query.exec(QStringLiteral("INSERT INTO captures (received_at, last_byte_at) VALUES (2000, 2000)")));
        QVERIFY(query.exec(QStringLiteral("INSERT INTO capture_raw (id, raw) VALUES (2, X'474554')")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v1"));

    // A reader does not migrate: it asks for listen to open the file first.
    auto early = Capture::StoreReader::open(path);
    QVERIFY(!early.has_value());
    QVERIFY2(early.error().contains(QStringLiteral("older schema")), qPrintable(early.error()));

    auto store = Capture::Store::open(path);
    QVERIFY2(store.has_value(), store ? "" : qPrintable(store.error()));
    (*store)->close();

    auto reader = Capture::StoreReader::open(path);
    QVERIFY2(reader.has_value(), reader ? "" : qPrintable(reader.error()));
    QCOMPARE(reader->count(), 2);
    const auto first = reader->load(1);
    QVERIFY(first.has_value());
    QCOMPARE(first->request.raw, raw);
    QCOMPARE(first->annotation.verdict, Capture::Verdict::Verified);
    QCOMPARE(QString::fromUtf8(first->annotation.verificationJson), verification);
    QCOMPARE(QString::fromUtf8(first->annotation.eventJson), event);
    QCOMPARE(first->annotation.eventType, QStringLiteral("Coupon Creation"));
    QCOMPARE(first->comment, QStringLiteral("kept"));
    const auto second = reader->load(2);
    QVERIFY(second.has_value());
    QVERIFY(second->annotation.verificationJson.isEmpty());
    QCOMPARE(second->request.raw, QByteArray("GET"));

    // "Which captures did this key verify" reads the moved documents.
    const auto usage = Capture::capturesVerifiedByKey(path, QStringLiteral("k1"));
    QVERIFY2(usage.has_value(), usage ? "" : qPrintable(usage.error()));
    QCOMPARE(usage->size(), 1);
    QCOMPARE(usage->first().id, 1);
    QCOMPARE(usage->first().target, QByteArray("/hook"));
}

void TestStore::readerSeesWalWhileWriting()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    auto store = Capture::Store::open(path);
    (*store)->append(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    (*store)->flush();
    auto reader = Capture::StoreReader::open(path);
    QCOMPARE(reader->count(), 1);
    QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
    (*store)->append(request("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n"));
    (*store)->flush();
    QCOMPARE(reader->count(), 2);
}

void TestStore::checkpointsWhileTheWriterKeepsWriting()
{
    // The log is copied back into the database by the checkpoint thread, not by a commit: the
    // database file grows while the store stays open, and every capture is there after close.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    Capture::Store::Options options;
    options.checkpointThread = true;
    auto store = Capture::Store::open(path, options);
    QVERIFY(store.has_value());
    const qint64 initialSize = QFileInfo(path).size();
    const QByteArray body(3000, 'x');
    constexpr int count = 3000; // about 3,000 pages of log: past the 1,000-page checkpoint mark
    for (int i = 0; i < count; ++i) {
        (*store)->append(request("POST /" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n" + body));
        if (i % 100 == 99)
            (*store)->flush(); // many commits, like a listener's
    }
    (*store)->flush();
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > initialSize + 4 * 1024 * 1024, 10000);
    (*store)->close();
    auto reader = Capture::StoreReader::open(path);
    QVERIFY(reader.has_value());
    QCOMPARE(reader->count(), count);
    QCOMPARE(reader->load(reader->ids().constLast())->request.bodyView(), QByteArrayView(body));
}

void TestStore::logStartsOverUnderSustainedWriting()
{
    // Commits that never pause: the thread's checkpoints never catch up with the end of the
    // log, so only the writer can let it start over. The log file stays near its limit instead
    // of growing with what the thread has not copied back yet.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    Capture::Store::Options options;
    options.checkpointThread = true;
    options.longLogPages = 1500;
    auto store = Capture::Store::open(path, options);
    QVERIFY(store.has_value());
    const QByteArray body(3000, 'x');
    constexpr int count = 20000;
    qint64 largestLog = 0;
    for (int i = 0; i < count; ++i) {
        (*store)->append(request("POST /" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n" + body));
        if (i % 50 == 49) {
            (*store)->flush();
            largestLog = qMax(largestLog, QFileInfo(path + QStringLiteral("-wal")).size());
        }
    }
    (*store)->close();
    // Without the writer's checkpoints the log grew to about 27,000 pages. With them it stays
    // at a few times the limit; on a busy disk (a fresh clone's ctest -j2) the thread's
    // checkpoint, which syncs the log while it holds the checkpoint lock, kept the writer's
    // waiting once until 8,254 pages (of 10,000 captures then).
    constexpr qint64 frameBytes = 4096 + 24;
    QVERIFY2(largestLog < 10000 * frameBytes, qPrintable(QStringLiteral("the log grew to %1 pages").arg(largestLog / frameBytes)));
    auto reader = Capture::StoreReader::open(path);
    QVERIFY(reader.has_value());
    QCOMPARE(reader->count(), count);
}

void TestStore::completionsRunOnTheWriterThread()
{
    // A listener on the writer thread gets its completions there, synchronously after the
    // commit, and may append again from inside one (a pipelined request).
    QTemporaryDir dir;
    auto store = Capture::Store::open(dir.filePath(QStringLiteral("c.sqlite")));
    QVERIFY(store.has_value());
    Capture::Store *raw = store->get();
    QThread *writer = raw->writerThread();
    QVERIFY(writer && writer != QThread::currentThread());
    std::atomic<int> onWriter = 0;
    std::atomic<int> done = 0;
    auto *context = new QObject;
    context->moveToThread(writer);
    QMetaObject::invokeMethod(context, [&] {
        raw->append(request("GET /first HTTP/1.1\r\nHost: x\r\n\r\n"), [&](qint64 id, const QString &error) {
            onWriter += QThread::currentThread() == writer && id > 0 && error.isEmpty();
            ++done;
            raw->append(request("GET /second HTTP/1.1\r\nHost: x\r\n\r\n"), [&, id](qint64 id2, const QString &error2) {
                onWriter += QThread::currentThread() == writer && id2 > id && error2.isEmpty();
                ++done;
            });
        });
    }, Qt::BlockingQueuedConnection);
    QTRY_COMPARE(done.load(), 2);
    QCOMPARE(onWriter.load(), 2);
    QMetaObject::invokeMethod(context, [context] { delete context; }, Qt::BlockingQueuedConnection);
}

void TestStore::annotationsWaitForAWriterHeldUp()
{
    // The writer is held up for 400 ms (a capture's completion runs on its thread): another
    // thread annotating three times maxQueuedAnnotations waits for it instead of queuing them
    // all, and every annotation is stored once it goes on.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    auto store = Capture::Store::open(path);
    QVERIFY(store.has_value());
    std::atomic<qint64> id{0};
    (*store)->append(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), [&id](qint64 stored, const QString &) {
        id = stored;
        QThread::msleep(400);
    });
    QTRY_VERIFY(id.load() > 0); // the writer is now asleep in the completion
    constexpr int count = int(Capture::Store::maxQueuedAnnotations) * 3;
    std::atomic<int> queued{0};
    std::thread annotator([&] {
        for (int i = 0; i < count; ++i) {
            Capture::Annotation annotation;
            annotation.id = id;
            annotation.verdict = Capture::Verdict::Unsigned;
            annotation.eventSummary = QString::number(i);
            (*store)->annotate(annotation);
            ++queued;
        }
    });
    QTest::qWait(200);
    const int whileHeldUp = queued.load();
    annotator.join();
    (*store)->flush();
    QVERIFY2(whileHeldUp <= int(Capture::Store::maxQueuedAnnotations) + 1, qPrintable(QString::number(whileHeldUp)));
    QCOMPARE(queued.load(), count);
    auto reader = Capture::StoreReader::open(path);
    QVERIFY(reader.has_value());
    QCOMPARE(reader->load(id)->annotation.eventSummary, QString::number(count - 1)); // the last one stored
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
