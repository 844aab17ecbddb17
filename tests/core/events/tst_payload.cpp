#include "events/jsonmembers.h"
#include "events/payload.h"
#include "events/summarytemplate.h"

#include <QJsonDocument>
#include <QTest>

using namespace Events;

class TestPayload : public QObject
{
    Q_OBJECT

private slots:
    void duration_data()
    {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << "0 s";
        QTest::newRow("seconds") << 45.0 << "45 s";
        QTest::newRow("fraction") << 12.5 << "12.5 s";
        QTest::newRow("one minute") << 60.0 << "1 min 00 s";
        QTest::newRow("minutes") << 303.0 << "5 min 03 s";
        QTest::newRow("hours") << 3723.0 << "1 h 02 min 03 s";
        QTest::newRow("exact hour") << 7200.0 << "2 h 00 min 00 s";
        QTest::newRow("days") << 90061.0 << "1 d 01 h 01 min 01 s";
        QTest::newRow("two-digit parts") << 222359.0 << "2 d 13 h 45 min 59 s";
        QTest::newRow("negative") << -75.0 << "-1 min 15 s";
        QTest::newRow("rounded") << 3722.6 << "1 h 02 min 03 s";
    }

    void duration()
    {
        QFETCH(double, seconds);
        QFETCH(QString, text);
        QCOMPARE(formatDuration(seconds), text);
    }

    void templateErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("words");
        QTest::newRow("unclosed") << "Order {id" << "unclosed '{' at position 6";
        QTest::newRow("unmatched") << "Order id}" << "unmatched '}' at position 8";
        QTest::newRow("empty") << "Order {}" << "empty placeholder";
        QTest::newRow("empty special") << "Order {$|upper}" << "empty placeholder";
        QTest::newRow("formatter") << "{id|money}" << "unknown formatter \"money\"";
        QTest::newRow("nested") << "{a{b}}" << "nested";
    }

    void templateErrors()
    {
        QFETCH(QString, text);
        QFETCH(QString, words);
        const auto parsed = SummaryTemplate::parse(text);
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().contains(words), qPrintable(parsed.error()));
    }

    void templateRendering()
    {
        const auto parsed = SummaryTemplate::parse(
            u"{{{call.id}}} {status|upper} {who|lower} for {seconds|duration}, {items|count} items, at {at|datetime}, "
            u"{name|json} {missing} {$entityId} {$absent} {flag} {ratio}");
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error()));
        QCOMPARE(parsed->placeholders().size(), 12);
        QCOMPARE(parsed->placeholders().at(1).formatter, QStringLiteral("upper"));
        const QJsonObject payload{{QStringLiteral("call"), QJsonObject{{QStringLiteral("id"), QStringLiteral("c-1")}}},
                                  {QStringLiteral("status"), QStringLiteral("done")},
                                  {QStringLiteral("who"), QStringLiteral("Ann")},
                                  {QStringLiteral("seconds"), 125},
                                  {QStringLiteral("items"), QJsonArray{1, 2, 3}},
                                  {QStringLiteral("at"), 1653055200},
                                  {QStringLiteral("name"), QStringLiteral("a \"b\"")},
                                  {QStringLiteral("flag"), false},
                                  {QStringLiteral("ratio"), 0.25}};
        QCOMPARE(parsed->render(payload, {{QStringLiteral("entityId"), QStringLiteral("e-1")}}),
                 QStringLiteral("{c-1} DONE ann for 2 min 05 s, 3 items, at 2022-05-20 14:00:00 UTC, "
                                "\"a \\\"b\\\"\" ? e-1 ? false 0.25"));
    }

    void datetimeFromStringsAndMilliseconds()
    {
        QCOMPARE(dateTimeFromJson(QJsonValue(QStringLiteral("2022-05-20T16:00:00+02:00"))),
                 QDateTime(QDate(2022, 5, 20), QTime(14, 0), Qt::UTC));
        QCOMPARE(dateTimeFromJson(QJsonValue(1653055200123.0)), QDateTime(QDate(2022, 5, 20), QTime(14, 0, 0, 123), Qt::UTC));
        QVERIFY(!dateTimeFromJson(QJsonValue(QStringLiteral("yesterday"))).isValid());
        QVERIFY(!dateTimeFromJson(QJsonValue(true)).isValid());
    }

    void tableFromArrayOfObjects()
    {
        const QByteArray json = R"([{"name": "Ann", "seconds": 10}, {"seconds": 20, "role": "expert", "name": "Bob"}, {}])";
        const QJsonArray array = QJsonDocument::fromJson(json).array();
        const KeyOrder order = scanKeyOrder(json);
        const auto table = tableFromArray(array, QString(), order);
        QVERIFY(table);
        QCOMPARE(table->columns, (QStringList{QStringLiteral("name"), QStringLiteral("seconds"), QStringLiteral("role")}));
        QCOMPARE(table->rows.size(), 3);
        QCOMPARE(table->rows.at(0).at(0).toString(), QStringLiteral("Ann"));
        QVERIFY(table->rows.at(0).at(2).isUndefined()); // Ann has no role
        QCOMPARE(table->rows.at(1).at(2).toString(), QStringLiteral("expert"));
        QCOMPARE(table->rows.at(1).at(1).toInt(), 20);
        QVERIFY(table->rows.at(2).at(0).isUndefined());

        // Without the document order, keys come as QJsonObject sorts them.
        QCOMPARE(tableFromArray(array)->columns, (QStringList{QStringLiteral("name"), QStringLiteral("seconds"), QStringLiteral("role")}));
        QCOMPARE(tableFromArray(QJsonDocument::fromJson(R"([{"z": 1, "a": 2}])").array())->columns,
                 (QStringList{QStringLiteral("a"), QStringLiteral("z")}));

        QVERIFY(!tableFromArray(QJsonDocument::fromJson(R"([{"a": 1}, 2])").array()));
        const auto empty = tableFromArray(QJsonArray());
        QVERIFY(empty);
        QVERIFY(empty->columns.isEmpty() && empty->rows.isEmpty());
    }

    void findTablesWalksObjects()
    {
        const QByteArray json = R"({"id": "c-1", "participants": [{"z": 1, "a": 2}], "call": {"segments": [{"from": 0}]},
            "tags": ["x", "y"], "nested": [[{"inner": 1}]]})";
        const QList<JsonTable> tables = findTables(QJsonDocument::fromJson(json).object(), scanKeyOrder(json));
        QCOMPARE(tables.size(), 2);
        QCOMPARE(tables.at(0).path, QStringLiteral("participants"));
        QCOMPARE(tables.at(0).columns, (QStringList{QStringLiteral("z"), QStringLiteral("a")}));
        QCOMPARE(tables.at(1).path, QStringLiteral("call.segments"));
    }

    void keyOrder()
    {
        // Braces and quotes inside strings, an escaped key, nested arrays (not a raw literal: moc
        // misreads backslashes inside raw strings).
        const QByteArray json = "{\"b\": {\"y\": 1, \"x\": [{\"q\": 1, \"p\": 2}, {\"s\": \"}\", \"r\": \"\\\"{\"}]},"
                                " \"a\\u00e9\\\"k\": 2, \"a\": null}";
        const KeyOrder order = scanKeyOrder(json);
        QCOMPARE(order.value(QString()), (QStringList{QStringLiteral("b"), QStringLiteral("a\u00e9\"k"), QStringLiteral("a")}));
        QCOMPARE(order.value(QStringLiteral("b")), (QStringList{QStringLiteral("y"), QStringLiteral("x")}));
        QCOMPARE(order.value(QStringLiteral("b.x[0]")), (QStringList{QStringLiteral("q"), QStringLiteral("p")}));
        QCOMPARE(order.value(QStringLiteral("b.x[1]")), (QStringList{QStringLiteral("s"), QStringLiteral("r")}));
        const QJsonObject object = QJsonDocument::fromJson(json).object();
        QCOMPARE(keysInOrder(object, order, QString()), order.value(QString()));
        QCOMPARE(keysInOrder(object, {}, QString()).size(), 3);
    }

    void keyOrderOfRepeatedPaths()
    {
        // A repeated key and a key with a dot give one path twice: its keys merge in document
        // order. Objects without keys leave no path; escaped backslashes end strings.
        const QByteArray json = "{\"a\": {\"z\": 1, \"b\": {}, \"z\": 2}, \"a.b\": {\"k\": \"\\\\\", \"j\": 1},"
                                " \"a\": {\"y\": 1, \"z\": 3, \"b\": {\"m\": []}}, \"e\": {}, \"l\": [{}, [{\"n\": 0}]]}";
        const KeyOrder order = scanKeyOrder(json);
        QCOMPARE(order.value(QString()), (QStringList{QStringLiteral("a"), QStringLiteral("a.b"), QStringLiteral("e"), QStringLiteral("l")}));
        QCOMPARE(order.value(QStringLiteral("a")), (QStringList{QStringLiteral("z"), QStringLiteral("b"), QStringLiteral("y")}));
        QCOMPARE(order.value(QStringLiteral("a.b")), (QStringList{QStringLiteral("k"), QStringLiteral("j"), QStringLiteral("m")}));
        QCOMPARE(order.value(QStringLiteral("l[1][0]")), QStringList{QStringLiteral("n")});
        QCOMPARE(order.size(), 4);
        QVERIFY(!order.contains(QStringLiteral("e")) && !order.contains(QStringLiteral("l[0]")));
    }

    void jsonMembersReadLikeValueAtPath()
    {
        const QByteArray json = R"({"b": {"k": [1], "": 2}, "a": 1, "s": "t", "": {"x": 3}})";
        const QJsonObject object = QJsonDocument::fromJson(json).object();
        const JsonMembers members(object, scanKeyOrder(json));
        QStringList keys;
        for (const JsonMember &member : members.inOrder())
            keys.append(member.key);
        QCOMPARE(keys, (QStringList{QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("s"), QString()}));
        for (const auto path : {u"b", u"b.k", u"b.", u"a", u"a.x", u"s", u"s.t", u"", u".x", u"nope", u"b.nope"}) {
            QCOMPARE(members.valueAtPath(path), valueAtPath(object, path));
            QCOMPARE(members.valueAtPath(path).isUndefined(), valueAtPath(object, path).isUndefined());
        }
        QCOMPARE(members.valueAtPath(u"b.").toInt(), 2);
        QCOMPARE(members.valueAtPath(u".x").toInt(), 3);
    }

    void identifierKeys()
    {
        for (const auto key : {u"id", u"ID", u"couponId", u"coupon_id", u"user-id", u"code", u"couponCode", u"promo_code", u"uuid", u"requestUuid", u"key"})
            QVERIFY2(isIdentifierKey(key), qPrintable(QStringView(key).toString()));
        for (const auto key : {u"identity", u"idea", u"video", u"paid", u"status", u"barcodes", u"hidden"})
            QVERIFY2(!isIdentifierKey(key), qPrintable(QStringView(key).toString()));
    }

    void identifiersFound()
    {
        const QByteArray json = R"({"type": "coupon.created", "couponId": "cp-1", "owner": {"user_id": 42, "name": "Ann"},
            "code": "SPRING", "amountId": 1.5, "emptyId": "", "items": [{"itemId": "i-1"}]})";
        const QList<Identifier> found = findIdentifiers(QJsonDocument::fromJson(json).object(), scanKeyOrder(json));
        QStringList text;
        for (const Identifier &identifier : found)
            text.append(identifier.path + u'=' + identifier.value);
        QCOMPARE(text, (QStringList{QStringLiteral("couponId=cp-1"), QStringLiteral("owner.user_id=42"), QStringLiteral("code=SPRING")}));
        QVERIFY(findIdentifiers(QJsonDocument::fromJson(R"([{"id": 1}])").array()).isEmpty());
    }

    void valueTypes()
    {
        const QJsonObject object = QJsonDocument::fromJson(R"({"i": 3, "f": 3.5, "s": "x", "n": null, "o": {"k": [1]},
            "ao": [{"a": 1}], "a": [1]})").object();
        QVERIFY(jsonValueHasType(object.value(u"i"), u"integer"));
        QVERIFY(jsonValueHasType(object.value(u"i"), u"number"));
        QVERIFY(!jsonValueHasType(object.value(u"f"), u"integer"));
        QVERIFY(jsonValueHasType(object.value(u"n"), u"null"));
        QVERIFY(jsonValueHasType(object.value(u"ao"), u"array-of-objects"));
        QVERIFY(!jsonValueHasType(object.value(u"a"), u"array-of-objects"));
        QVERIFY(jsonValueHasType(object.value(u"a"), u"array"));
        QVERIFY(jsonValueHasType(object.value(u"s"), u"any"));
        QVERIFY(!jsonValueHasType(object.value(u"missing"), u"any"));
        QCOMPARE(valueAtPath(object, u"o.k").toArray().size(), 1);
        QVERIFY(valueAtPath(object, u"s.k").isUndefined());
        QCOMPARE(jsonTypeName(valueAtPath(object, u"nope")), QStringLiteral("absent"));
    }
};

QTEST_GUILESS_MAIN(TestPayload)
#include "tst_payload.moc"
