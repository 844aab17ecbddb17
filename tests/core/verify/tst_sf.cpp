#include "verify/structuredfields.h"

#include <QTest>

using namespace Verify;

namespace {

QByteArray roundTripList(QByteArrayView text)
{
    auto parsed = parseSfList(text);
    return parsed ? serializeSfList(*parsed).value_or("<serialize failed>") : QByteArray("<parse failed>");
}

QByteArray roundTripDictionary(QByteArrayView text)
{
    auto parsed = parseSfDictionary(text);
    return parsed ? serializeSfDictionary(*parsed).value_or("<serialize failed>") : QByteArray("<parse failed>");
}

QByteArray roundTripItem(QByteArrayView text)
{
    auto parsed = parseSfItem(text);
    return parsed ? serializeSfItem(*parsed).value_or("<serialize failed>") : QByteArray("<parse failed>");
}

} // namespace

/// RFC 8941 parsing and serialization, from the RFC's examples and its parsing rules.
class TestSf final : public QObject
{
    Q_OBJECT

private slots:
    void lists()
    {
        // §3.1 examples
        auto list = parseSfList("sugar, tea, rum");
        QVERIFY(list);
        QCOMPARE(list->size(), 3);
        QCOMPARE(list->at(1).item.bare, SfBareItem::makeToken("tea"));
        auto inner = parseSfList("(\"foo\" \"bar\"), (\"baz\"), (\"bat\" \"one\"), ()");
        QVERIFY(inner);
        QCOMPARE(inner->size(), 4);
        QVERIFY(inner->at(3).isInnerList);
        QVERIFY(inner->at(3).innerList.items.isEmpty());
        QCOMPARE(inner->at(0).innerList.items.at(1).bare, SfBareItem::makeString("bar"));
        auto parameterised = parseSfList("(\"foo\"; a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1");
        QVERIFY(parameterised);
        QCOMPARE(parameterised->at(0).innerList.items.at(0).parameters.find("b")->integer, 2);
        QCOMPARE(parameterised->at(0).parameters().find("lvl")->integer, 5);
        QCOMPARE(roundTripList("(\"foo\"; a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1"),
                 QByteArray("(\"foo\";a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1"));
        QCOMPARE(roundTripList("abc;a=1;b=2; cde_456, (ghi;jk=4 l);q=\"9\";r=w"),
                 QByteArray("abc;a=1;b=2;cde_456, (ghi;jk=4 l);q=\"9\";r=w"));
        // OWS (spaces and tabs) around commas is allowed in lists (§4.2.1).
        QCOMPARE(roundTripList("a\t,  b ,\tc"), QByteArray("a, b, c"));
        QVERIFY(parseSfList("")->isEmpty());
    }

    void dictionaries()
    {
        auto dictionary = parseSfDictionary("en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:");
        QVERIFY(dictionary);
        QCOMPARE(dictionary->find("da")->item.bare.text, QByteArray("\xc3\x86" "blet\xc3\xa6rte"));
        QCOMPARE(roundTripDictionary("a=?0, b, c; foo=bar"), QByteArray("a=?0, b, c;foo=bar"));
        auto booleans = parseSfDictionary("a=?0, b, c; foo=bar");
        QCOMPARE(booleans->find("b")->item.bare, SfBareItem::makeBoolean(true));
        QCOMPARE(roundTripDictionary("rating=1.5, feelings=(joy sadness)"), QByteArray("rating=1.5, feelings=(joy sadness)"));
        QCOMPARE(roundTripDictionary("a=(1 2), b=3, c=4;aa=bb, d=(5 6);valid"),
                 QByteArray("a=(1 2), b=3, c=4;aa=bb, d=(5 6);valid"));
        // Duplicate keys: the last value wins, in the first key's position (§4.2.2).
        QCOMPARE(roundTripDictionary("a=1,b=2,a=3"), QByteArray("a=3, b=2"));
        QCOMPARE(roundTripItem("1;a=1;b=2;a=3"), QByteArray("1;a=3;b=2"));
        const QByteArray signatureInput = "sig1=(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-length\" \"content-type\");created=1618884473;keyid=\"test-key-rsa-pss\"";
        QCOMPARE(roundTripDictionary(signatureInput), signatureInput);
        QCOMPARE(parseSfDictionary(signatureInput)->keys(), QList<QByteArray>{"sig1"});
    }

    void items_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("canonical");
        QTest::newRow("integer") << QByteArray("42") << QByteArray("42");
        QTest::newRow("negative") << QByteArray("-42") << QByteArray("-42");
        QTest::newRow("max integer") << QByteArray("999999999999999") << QByteArray("999999999999999");
        QTest::newRow("leading zeros") << QByteArray("0042") << QByteArray("42");
        QTest::newRow("decimal") << QByteArray("4.5") << QByteArray("4.5");
        QTest::newRow("decimal zeros") << QByteArray("1.500") << QByteArray("1.5");
        QTest::newRow("decimal int") << QByteArray("-3.0") << QByteArray("-3.0");
        QTest::newRow("string") << QByteArray("\"hello world\"") << QByteArray("\"hello world\"");
        QTest::newRow("escapes") << QByteArray("\"a\\\"b\\\\c\"") << QByteArray("\"a\\\"b\\\\c\"");
        QTest::newRow("token") << QByteArray("foo123/456") << QByteArray("foo123/456");
        QTest::newRow("token star") << QByteArray("*foo:bar") << QByteArray("*foo:bar");
        QTest::newRow("bytes") << QByteArray(":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:") << QByteArray(":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:");
        // §4.2.7: missing padding SHOULD NOT fail; re-serialization pads it.
        QTest::newRow("bytes unpadded") << QByteArray(":aGVsbG8:") << QByteArray(":aGVsbG8=:");
        QTest::newRow("empty bytes") << QByteArray("::") << QByteArray("::");
        QTest::newRow("true") << QByteArray("?1") << QByteArray("?1");
        QTest::newRow("false params") << QByteArray("?0;a;b=?0") << QByteArray("?0;a;b=?0");
        QTest::newRow("spaces around") << QByteArray("  5; foo=bar  ") << QByteArray("5;foo=bar");
    }

    void items()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, canonical);
        QCOMPARE(roundTripItem(input), canonical);
        // Canonical text parses to the same value.
        QCOMPARE(parseSfItem(canonical).value(), parseSfItem(input).value());
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("kind"); // 0 item, 1 list, 2 dictionary
        QTest::addColumn<int>("offset");
        QTest::newRow("16 digits") << QByteArray("1234567890123456") << 0 << 0;
        QTest::newRow("4 fraction digits") << QByteArray("1.1234") << 0 << 0;
        QTest::newRow("13 integer digits") << QByteArray("1234567890123.5") << 0 << 0;
        QTest::newRow("trailing dot") << QByteArray("1.") << 0 << 1;
        QTest::newRow("two dots") << QByteArray("1.5.4") << 0 << 3;
        QTest::newRow("lone minus") << QByteArray("-") << 0 << 1;
        QTest::newRow("bad escape") << QByteArray("\"a\\x\"") << 0 << 2;
        QTest::newRow("unterminated") << QByteArray("\"abc") << 0 << 4;
        QTest::newRow("non-ascii string") << QByteArray("\"caf\xc3\xa9\"") << 0 << 4;
        QTest::newRow("boolean 2") << QByteArray("?2") << 0 << 1;
        QTest::newRow("unclosed bytes") << QByteArray(":abc") << 0 << 0;
        QTest::newRow("leading tab") << QByteArray("\t1") << 0 << 0;
        QTest::newRow("two items") << QByteArray("1 2") << 0 << 2;
        QTest::newRow("uppercase param key") << QByteArray("1;A=2") << 0 << 2;
        QTest::newRow("trailing comma") << QByteArray("a, b,") << 1 << 5;
        QTest::newRow("empty member") << QByteArray("a,,b") << 1 << 2;
        QTest::newRow("inner list tab") << QByteArray("(a\tb)") << 1 << 2;
        QTest::newRow("inner list unclosed") << QByteArray("(a b") << 1 << 4;
        QTest::newRow("uppercase key") << QByteArray("A=1") << 2 << 0;
        QTest::newRow("no separator") << QByteArray("a=1 b=2") << 2 << 4;
    }

    void rejects()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, kind);
        QFETCH(int, offset);
        std::optional<SfError> error;
        if (kind == 0) {
            if (auto r = parseSfItem(input); !r)
                error = r.error();
        } else if (kind == 1) {
            if (auto r = parseSfList(input); !r)
                error = r.error();
        } else if (auto r = parseSfDictionary(input); !r) {
            error = r.error();
        }
        QVERIFY(error);
        QCOMPARE(error->offset, qsizetype(offset));
        QVERIFY(!error->message.isEmpty());
        QVERIFY(error->message.endsWith(u'.') || error->message.endsWith(u')'));
    }

    void byteSequenceStrictness()
    {
        // RFC 9530 B.5 as printed: one '=' too many is not base64, so parsing fails (§4.2.7),
        // but the error says what a lenient decoder would have read.
        auto extra = parseSfDictionary("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg==:");
        QVERIFY(!extra);
        QVERIFY(extra.error().lenientBytes);
        QCOMPARE(extra.error().lenientBytes->size(), 32);
        QCOMPARE(*extra.error().lenientBytes, QByteArray::fromBase64("RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg="));
        auto url = parseSfItem(":RK_0qy18MlBSVnWgjwz6lZEWjP_lF5HF9bvEF8FabDg=:");
        QVERIFY(!url);
        QVERIFY(url.error().message.contains(QStringLiteral("base64url")));
        QVERIFY(url.error().lenientBytes);
        QVERIFY(!parseSfItem(":ab=c:"));
        // Non-zero pad bits SHOULD NOT fail (§4.2.7).
        QVERIFY(parseSfItem(":aGVsbG9=:"));
    }

    void serializerRejects()
    {
        QVERIFY(!serializeSfBareItem(SfBareItem::makeInteger(1'000'000'000'000'000)));
        QVERIFY(!serializeSfBareItem(SfBareItem::makeToken("1abc")));
        QVERIFY(!serializeSfBareItem(SfBareItem::makeString("a\nb")));
        QVERIFY(!serializeSfBareItem(SfBareItem::makeDecimal(1e13)));
        SfParameters parameters;
        parameters.set("Upper", SfBareItem::makeInteger(1));
        QVERIFY(!serializeSfParameters(parameters));
        // §4.1.5: decimals round to three digits, ties to even.
        QCOMPARE(serializeSfBareItem(SfBareItem::makeDecimal(0.0625)).value(), QByteArray("0.062"));
        QCOMPARE(serializeSfBareItem(SfBareItem::makeDecimal(2.0)).value(), QByteArray("2.0"));
        QCOMPARE(serializeSfBareItem(SfBareItem::makeDecimal(-0.5)).value(), QByteArray("-0.5"));
        QCOMPARE(SfBareItem::makeByteSequence("hi").toDisplayString(), QStringLiteral(":aGk=:"));
    }

    void bareItemPrefix()
    {
        qsizetype consumed = 0;
        auto item = parseSfBareItem("\"abc\";x=1", &consumed);
        QVERIFY(item);
        QCOMPARE(consumed, 5);
        QCOMPARE(item->text, QByteArray("abc"));
    }
};

QTEST_GUILESS_MAIN(TestSf)
#include "tst_sf.moc"
