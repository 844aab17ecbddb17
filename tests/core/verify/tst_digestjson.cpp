#include "verify/jsonstringify.h"

#include <QTest>

#include <limits>

using namespace Verify;

/// JSON.stringify(JSON.parse(x)) semantics used by the re-serialization diagnosis.
class TestDigestJson final : public QObject
{
    Q_OBJECT

private slots:
    void numbers_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("text");
        // Outputs of Number.prototype.toString (ECMA-262 Number::toString).
        QTest::newRow("1.5") << 1.5 << QByteArray("1.5");
        QTest::newRow("100") << 100.0 << QByteArray("100");
        QTest::newRow("1e21") << 1e21 << QByteArray("1e+21");
        QTest::newRow("1e20") << 1e20 << QByteArray("100000000000000000000");
        QTest::newRow("1e-6") << 0.000001 << QByteArray("0.000001");
        QTest::newRow("1e-7") << 1e-7 << QByteArray("1e-7");
        QTest::newRow("-1.5e-10") << -1.5e-10 << QByteArray("-1.5e-10");
        QTest::newRow("0.1+0.2") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
        QTest::newRow("-0") << -0.0 << QByteArray("0");
        QTest::newRow("denormal") << 5e-324 << QByteArray("5e-324");
        QTest::newRow("max") << std::numeric_limits<double>::max() << QByteArray("1.7976931348623157e+308");
        QTest::newRow("2^53+2") << 9007199254740994.0 << QByteArray("9007199254740994");
        QTest::newRow("123.456e5") << 12345600.0 << QByteArray("12345600");
        QTest::newRow("1.2345e25") << 1.2345e25 << QByteArray("1.2345e+25");
    }

    void numbers()
    {
        QFETCH(double, value);
        QFETCH(QByteArray, text);
        QCOMPARE(formatJsNumber(value), text);
    }

    void documents_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("indent");
        QTest::addColumn<bool>("sorted");
        QTest::addColumn<QByteArray>("output");
        QTest::newRow("whitespace") << QByteArray(" { \"a\" : [ 1 , 2.50 , -0 , 1E2 ] , \"b\" : null }\n") << 0 << false
                                    << QByteArray("{\"a\":[1,2.5,0,100],\"b\":null}");
        QTest::newRow("integer keys") << QByteArray("{\"b\":1,\"a\":2,\"10\":3,\"2\":4,\"-1\":5,\"01\":6,\"4294967295\":7,\"4294967294\":8}")
                                      << 0 << false
                                      << QByteArray("{\"2\":4,\"10\":3,\"4294967294\":8,\"b\":1,\"a\":2,\"-1\":5,\"01\":6,\"4294967295\":7}");
        QTest::newRow("duplicates") << QByteArray("{\"a\":1,\"b\":2,\"a\":3}") << 0 << false << QByteArray("{\"a\":3,\"b\":2}");
        QTest::newRow("escapes") << QByteArray("[\"\\u00e9\\u2028\\ud800\\u001f\\/\\b\\f\\n\\r\\t\\\"\\\\\\u007f\"]") << 0 << false
                                 << QByteArray("[\"\xC3\xA9\xE2\x80\xA8\\ud800\\u001f/\\b\\f\\n\\r\\t\\\"\\\\\x7F\"]");
        QTest::newRow("surrogate pair") << QByteArray("\"\\ud83d\\ude00\"") << 0 << false << QByteArray("\"\xF0\x9F\x98\x80\"");
        QTest::newRow("raw utf8") << QByteArray("\"\xF0\x9F\x98\x80\"") << 0 << false << QByteArray("\"\xF0\x9F\x98\x80\"");
        QTest::newRow("indent 2") << QByteArray("{\"a\":[1,{}],\"b\":[]}") << 2 << false
                                  << QByteArray("{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}");
        QTest::newRow("indent clamp") << QByteArray("[1]") << 20 << false << QByteArray("[\n          1\n]");
        QTest::newRow("sorted") << QByteArray("{\"b\":1,\"B\":2,\"a\":{\"z\":1,\"y\":2}}") << 0 << true
                                << QByteArray("{\"B\":2,\"a\":{\"y\":2,\"z\":1},\"b\":1}");
        QTest::newRow("overflow") << QByteArray("[1e400]") << 0 << false << QByteArray("[null]");
        QTest::newRow("scalar") << QByteArray("\"text\"") << 0 << false << QByteArray("\"text\"");
    }

    void documents()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, indent);
        QFETCH(bool, sorted);
        QFETCH(QByteArray, output);
        auto result = jsonStringify(input, {indent, sorted});
        QVERIFY2(result, qPrintable(result ? QString() : result.error()));
        QCOMPARE(*result, output);
    }

    void rejects()
    {
        for (const char *input : {"{\"a\":1,}", "[01]", "\"\\x\"", "NaN", "{} x", "", "[1,]", "{'a':1}", "\"a\tb\"",
                                  "\xEF\xBB\xBF{}", "[\"\\u12\"]", "tru"}) {
            auto result = jsonStringify(QByteArrayView(input));
            QVERIFY2(!result, input);
            QVERIFY(result.error().startsWith(QStringLiteral("The body is not JSON")));
        }
        QByteArray deep(600, '[');
        deep += QByteArray(600, ']');
        QVERIFY(!jsonStringify(deep));
    }
};

QTEST_GUILESS_MAIN(TestDigestJson)
#include "tst_digestjson.moc"
