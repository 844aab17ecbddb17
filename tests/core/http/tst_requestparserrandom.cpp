#include "parserdriver.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

// Mutated and random inputs through the parser (the libFuzzer target in tests/fuzz explores
// further; this one runs everywhere, deterministically). Checks: no crash, the driver's
// invariants (raw is the consumed input, consumed <= offered, nothing after an error), and that
// cutting the input into random pieces never changes what the parser produces.
class TestRequestParserRandom final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void mutatedInputs();

private:
    QByteArray mutate(QRandomGenerator &random) const;

    QList<QByteArray> m_seeds;
    qsizetype m_validSeeds = 0; // the first m_validSeeds seeds are valid requests
};

void TestRequestParserRandom::initTestCase()
{
    for (const QString &folder : {QStringLiteral("valid"), QStringLiteral("invalid")}) {
        const QDir dir(QStringLiteral(HOOKSCOPE_TEST_DATA "/http/") + folder);
        for (const QString &name : dir.entryList({QStringLiteral("*.http")}, QDir::Files, QDir::Name)) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            m_seeds.append(file.readAll());
        }
        if (folder == QStringLiteral("valid"))
            m_validSeeds = m_seeds.size();
    }
    QVERIFY(m_seeds.size() > 50);
}

QByteArray TestRequestParserRandom::mutate(QRandomGenerator &random) const
{
    static const QByteArray interesting = QByteArrayLiteral("\r\n \t:;=\"\\,0fF9\x00\x7f\x80\xff-+*/?#%Gx");
    const auto pick = [&random](qsizetype bound) { return qsizetype(random.bounded(int(qMax<qsizetype>(1, bound)))); };
    if (random.bounded(10) == 0) { // pure noise, sometimes after a valid head
        QByteArray noise(pick(300), Qt::Uninitialized);
        for (char &c : noise)
            c = random.bounded(2) ? interesting[pick(interesting.size())] : char(random.bounded(256));
        return random.bounded(2) ? m_seeds[pick(m_seeds.size())].left(pick(60)) + noise : noise;
    }
    // half of the time start from a valid request, so edits reach bodies and pipelining
    QByteArray data = m_seeds[pick(random.bounded(2) ? m_validSeeds : m_seeds.size())];
    const int edits = 1 + random.bounded(4);
    for (int i = 0; i < edits; ++i) {
        const qsizetype at = pick(data.size() + 1);
        switch (random.bounded(7)) {
        case 0: // overwrite
            if (at < data.size())
                data[at] = random.bounded(2) ? interesting[pick(interesting.size())] : char(random.bounded(256));
            break;
        case 1: // insert
            data.insert(at, interesting[pick(interesting.size())]);
            break;
        case 2: // delete a run
            data.remove(at, pick(4) + 1);
            break;
        case 3: // duplicate a run
            data.insert(at, data.mid(pick(data.size()), pick(40)));
            break;
        case 4: // splice another seed
            data = data.left(at) + m_seeds[pick(m_seeds.size())].mid(pick(60));
            break;
        case 5: // truncate
            data.truncate(at);
            break;
        default: // append a pipelined request
            data += m_seeds[pick(m_seeds.size())];
            break;
        }
    }
    return data;
}

void TestRequestParserRandom::mutatedInputs()
{
    QRandomGenerator random(0x5eed2024u);
    Http::ParserLimits small;
    small.maxRequestLine = 40;
    small.maxHeaderBytes = 80;
    small.maxHeaderFields = 3;
    small.maxBody = 12;
    small.maxChunkLine = 10;
    int accepted = 0;
    int rejected = 0;
    for (int round = 0; round < 20000; ++round) {
        const QByteArray input = mutate(random);
        const Http::ParserLimits limits = round % 4 == 0 ? small : Http::ParserLimits{};
        QList<qsizetype> cuts;
        for (int i = random.bounded(5); i > 0; --i)
            cuts.append(random.bounded(int(input.size()) + 1));
        std::sort(cuts.begin(), cuts.end());

        const ParserDriver whole = ParserDriver::run(input, {}, limits);
        const ParserDriver split = ParserDriver::run(input, cuts, limits);
        const QByteArray context = "round " + QByteArray::number(round) + " input " + input.toHex();
        QVERIFY2(whole.violation.isEmpty(), qPrintable(QString(whole.violation + QString::fromLatin1(context))));
        QVERIFY2(split.violation.isEmpty(), qPrintable(QString(split.violation + QString::fromLatin1(context))));
        QVERIFY2(whole.consumed <= input.size(), context.constData());
        QCOMPARE(split.consumed, whole.consumed);
        QCOMPARE(split.failed, whole.failed);
        QCOMPARE(split.requests.size(), whole.requests.size());
        for (qsizetype i = 0; i < whole.requests.size(); ++i)
            QCOMPARE(ParserDriver::describe(split.requests[i]), ParserDriver::describe(whole.requests[i]));
        if (whole.failed)
            QCOMPARE(ParserDriver::describe(split.rejected), ParserDriver::describe(whole.rejected));
        accepted += int(whole.requests.size());
        rejected += whole.failed ? 1 : 0;
    }
    // the mutations must reach both outcomes often, or this test proves little
    qInfo() << "accepted" << accepted << "rejected" << rejected;
    QVERIFY(accepted > 2000);
    QVERIFY(rejected > 2000);
}

QTEST_GUILESS_MAIN(TestRequestParserRandom)
#include "tst_requestparserrandom.moc"
