// Events::Decoder::decode throughput on one thread, with the built-in profiles loaded once (as
// `hookscope listen` keeps them): each provider sample payload, and the 1 KiB webhook that
// tests/bench/verify signs, wrapped in a POST request as captured. Prints one section per
// Events::Decoder::Detail: Full (with the payload tables, as the event pane decodes), NoTables, and
// Summary (as the analysis of every capture in `hookscope listen` decodes); each has one row per body
// (decodes per second of the thread's CPU time, and microseconds per decode), then the
// geometric-mean row "all".
// Usage: bench_decode [SECONDS per row, default 2]; bench_decode --dump prints each decoding as
// JSON instead (with both details, and what DecodedEvent::toJson() leaves out), to compare
// results before and after a change.

#include "events/decoder.h"
#include "events/profilecatalog.h"
#include "events/samples.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace {

double threadSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// A 1 KiB webhook shaped like the one tests/bench/verify signs: 12 participants (a table), padded.
QByteArray webhookBody()
{
    QByteArrayList participants;
    for (int i = 1; i <= 12; ++i)
        participants.append(QString::asprintf(R"({"participant":"p-%03d","joinedAt":"2026-12-03T10:%02d:00Z","seconds":%d})", i, i, 60 * i).toUtf8());
    QByteArray body = R"({"id":"c-81","expert":"e-7","status":"completed","totalParticipantSeconds":3723,"participants":[)"
                      + participants.join(',') + R"(],"note":")";
    return body + QByteArray(1024 - body.size() - 2, 'x') + R"("})";
}

Http::CapturedRequest postRequest(const QByteArray &body)
{
    Http::CapturedRequest request;
    const QByteArray head = "POST /hooks HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\n"
                            "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
    request.method = "POST";
    request.target = "/hooks";
    request.version = "HTTP/1.1";
    request.raw = head + body;
    request.headers = {Http::HeaderField{"Host", "example.com", 0, 0},
                       Http::HeaderField{"Content-Type", "application/json", 0, 0},
                       Http::HeaderField{"Content-Length", QByteArray::number(body.size()), 0, 0}};
    request.bodyOffset = head.size();
    request.bodyLength = body.size();
    return request;
}

double decodesPerSecond(const Events::Decoder &decoder, const Http::CapturedRequest &request,
                        Events::Decoder::Detail detail, double seconds)
{
    qint64 calls = 0;
    std::size_t sink = 0;
    const double start = threadSeconds();
    double elapsed = 0;
    while (elapsed < seconds) {
        for (int i = 0; i < 200; ++i)
            sink += std::size_t(decoder.decode(request, detail).fields.size());
        calls += 200;
        elapsed = threadSeconds() - start;
    }
    if (sink == 0)
        std::fprintf(stderr, "no fields decoded\n");
    return double(calls) / elapsed;
}

// One decoding for --dump: toJson() and what it leaves out (key order, payload, where the
// entity id and time came from, each field's description and value, the table cells and the
// lifecycle rule).
QJsonObject dumped(const Events::DecodedEvent &event)
{
    QJsonObject keyOrder;
    for (auto it = event.keyOrder.cbegin(); it != event.keyOrder.cend(); ++it)
        keyOrder.insert(it.key(), QJsonArray::fromStringList(it.value()));
    QJsonObject dump = event.toJson();
    dump.insert(QStringLiteral("bodySha256"), QString::fromLatin1(event.bodySha256.toHex()));
    dump.insert(QStringLiteral("keyOrder"), keyOrder);
    dump.insert(QStringLiteral("payload"), event.payload);
    dump.insert(QStringLiteral("entityIdField"), event.entityIdField);
    dump.insert(QStringLiteral("eventTimeField"), event.eventTimeField);
    const auto shown = [](const QJsonValue &value) { return value.isUndefined() ? QJsonValue(QStringLiteral("(undefined)")) : value; };
    QJsonArray fields;
    for (const Events::FieldCheck &field : event.fields)
        fields.append(QJsonArray{field.name, field.description, shown(field.value)});
    dump.insert(QStringLiteral("fieldValues"), fields);
    QJsonArray cells;
    for (const Events::JsonTable &table : event.tables) {
        for (const QList<QJsonValue> &row : table.rows) {
            QJsonArray rowCells;
            for (const QJsonValue &cell : row)
                rowCells.append(shown(cell));
            cells.append(rowCells);
        }
    }
    dump.insert(QStringLiteral("tableCells"), cells);
    const Events::LifecycleRule &lifecycle = event.lifecycle;
    dump.insert(QStringLiteral("lifecycle"),
                QJsonArray{QJsonArray::fromStringList(lifecycle.after), QJsonArray::fromStringList(lifecycle.notAfter),
                           lifecycle.once, lifecycle.onceSentence, lifecycle.notAfterSentence});
    return dump;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? std::max(std::atof(argv[1]), 0.01) : 2.0;
    Events::ProfileCatalog catalog;
    if (!catalog.loadFolder(Events::ProfileCatalog::builtinFolder()).isEmpty()) {
        std::fprintf(stderr, "the built-in profiles did not load\n");
        return 1;
    }
    const Events::Decoder decoder = catalog.decoder();

    QList<std::pair<QString, QByteArray>> bodies;
    for (const QString &name : Events::sampleNames())
        bodies.append({name, *Events::samplePayload(name)});
    bodies.append({QStringLiteral("webhook-1k"), webhookBody()});

    if (app.arguments().contains(QStringLiteral("--dump"))) {
        // Odd bodies too: escaped and repeated keys, nested tables, empty objects, not objects, an
        // event type that is not a string, non-ASCII keys, timestamps, a shape of the wrong types.
        const QByteArrayList odd = {
            R"({"ty\u0070e":"coupon.created","a":{"z":1,"b":{}},"a":{"y":[{"q":1},{"p":2,"q":3}]},"rows":[[{"x":1}],{"k":"v"}],"code":"C-1","n":-0.0})",
            R"({"type":"Coupon_Redemption","coupon":{"couponId":"cp-7","items":[{"sku":"s1"},{"sku":"s2","qty":2}],"meta":{"key":7}},"id":12})",
            R"([{"b":1,"a":2},{"c":3}])", R"("text")", "  ", "", "{not json", R"({"x":""quoted" {[,]}"})",
            R"({"type":5,"event":"coupon.charged","eventType":"","id":"x","timestamp":1700000000123})",
            R"({"type":"Coupon Expiration","c\u00f6de":"\u00fc-1","Id":1.5,"n_id":-3,"coupon":{"id":"cp-2","a\"b":{"c\\d":1}},"occurredAt":1700000000})",
            " { \"id\" : \"c-9\" , \"expert\" : 7 , \"status\" : null , \"totalParticipantSeconds\" : \"12\" } ",
        };
        for (qsizetype i = 0; i < odd.size(); ++i)
            bodies.append({QStringLiteral("odd-%1").arg(i), odd.at(i)});
        const QList<Http::HeaderField> eventHeaders = {Http::HeaderField{"x-event-TYPE", " coupon--created", 0, 0},
                                                       Http::HeaderField{"X-Webhook-Event", "Conversation Ended", 0, 0}};
        for (const auto &[name, body] : std::as_const(bodies)) {
            const Events::DecodedEvent decodings[] = {
                decoder.decode(postRequest(body)), decoder.decode(eventHeaders, body),
                decoder.decode(postRequest(body), Events::Decoder::Detail::NoTables),
                decoder.decode(eventHeaders, body, Events::Decoder::Detail::NoTables),
                decoder.decode(postRequest(body), Events::Decoder::Detail::Summary),
                decoder.decode(eventHeaders, body, Events::Decoder::Detail::Summary)};
            for (const Events::DecodedEvent &event : decodings)
                std::printf("%s %s\n", qPrintable(name), QJsonDocument(dumped(event)).toJson(QJsonDocument::Compact).constData());
        }
        return 0;
    }

    const std::pair<Events::Decoder::Detail, const char *> details[] = {
        {Events::Decoder::Detail::Full, "Detail::Full (with the payload tables, as the event pane decodes)"},
        {Events::Decoder::Detail::NoTables, "Detail::NoTables (everything but the tables)"},
        {Events::Decoder::Detail::Summary, "Detail::Summary (as the analysis in `hookscope listen` decodes)"},
    };
    for (const auto &[detail, title] : details) {
        std::printf("%s\n", title);
        double logSum = 0;
        for (const auto &[name, body] : std::as_const(bodies)) {
            const double rate = decodesPerSecond(decoder, postRequest(body), detail, seconds);
            logSum += std::log(rate);
            std::printf("  %-20s %5lld B %10.0f decodes/s %8.2f us\n", qPrintable(name), qlonglong(body.size()), rate, 1e6 / rate);
        }
        const double mean = std::exp(logSum / double(bodies.size()));
        std::printf("  %-20s %7s %10.0f decodes/s %8.2f us\n", "all (geomean)", "", mean, 1e6 / mean);
    }
    return 0;
}
