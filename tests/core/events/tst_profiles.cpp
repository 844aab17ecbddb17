#include "events/profilecatalog.h"
#include "events/profileparser.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Events;

class TestProfiles : public QObject
{
    Q_OBJECT

private:
    static QString dataPath(const QString &relative)
    {
        return QStringLiteral(HOOKSCOPE_TEST_DATA "/events/profiles/") + relative;
    }

private slots:
    void initTestCase()
    {
        QCoreApplication::setApplicationName(QStringLiteral("hookscope-events-test"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void builtinProfile()
    {
        ProfileCatalog catalog;
        const QList<ProfileError> errors = catalog.loadFolder(ProfileCatalog::builtinFolder());
        QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.constFirst().toString()));
        const ProviderProfile *profile = catalog.profile(u"skillspring");
        QVERIFY(profile);
        QVERIFY(profile->builtin);
        QCOMPARE(profile->source, QStringLiteral(":/providers/skillspring.json"));
        QCOMPARE(profile->signature.scheme, QStringLiteral("cavage"));
        QCOMPARE(profile->signature.keySourceKind, QStringLiteral("jwks-url"));
        QCOMPARE(profile->signature.keySource, QStringLiteral("https://files.us.skillspring.com/.well-known/webhook-jwks.json"));
        QCOMPARE(profile->signature.covered, (QStringList{QStringLiteral("(request-target)"), QStringLiteral("host"),
                                                          QStringLiteral("date"), QStringLiteral("digest")}));
        QCOMPARE(profile->signature.digestHeader, QStringLiteral("Digest"));
        QStringList names;
        for (const EventTypeSpec &event : profile->events)
            names.append(event.name);
        QCOMPARE(names, (QStringList{QStringLiteral("Conversation Ended"), QStringLiteral("Coupon Creation"),
                                     QStringLiteral("Coupon Redemption"), QStringLiteral("Coupon Charged"),
                                     QStringLiteral("Coupon Expiration")}));
        // Only the documented payload has fields; the coupon ones must not invent any.
        for (const EventTypeSpec &event : profile->events) {
            QCOMPARE(event.documented, event.name == u"Conversation Ended");
            QCOMPARE(event.fields.isEmpty(), !event.documented);
            for (const DetectionRule &rule : event.detect) {
                if (rule.kind != DetectionRule::Kind::Shape)
                    QVERIFY2(!rule.assumption.isEmpty(), qPrintable(event.name));
            }
        }
        const EventTypeSpec *ended = profile->eventType(u"CONVERSATION_ENDED");
        QVERIFY(ended);
        QCOMPARE(ended->fields.size(), 4);
        QCOMPARE(ended->fields.at(3).name, QStringLiteral("totalParticipantSeconds"));
        QCOMPARE(ended->fields.at(3).types, QStringList{QStringLiteral("number")});
        QCOMPARE(profile->eventType(u"coupon-redemption")->lifecycle.notAfter, QStringList{QStringLiteral("Coupon Expiration")});
    }

    void brokenProfile_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("words"); // must appear in the message

        QTest::newRow("syntax") << "syntax.json" << "json-syntax" << "" << "offset";
        QTest::newRow("not an object") << "not-an-object.json" << "not-an-object" << "" << "object";
        QTest::newRow("missing summary") << "missing-member.json" << "missing-member" << "events[0].summary" << "summary";
        QTest::newRow("missing name") << "missing-name.json" << "missing-member" << "name" << "name";
        QTest::newRow("wrong type") << "wrong-type.json" << "wrong-type" << "events[0].documented" << "true or false";
        QTest::newRow("values not a list") << "wrong-type-values.json" << "wrong-type" << "events[0].detect[0].values" << "array";
        QTest::newRow("rule kind") << "unknown-rule-kind.json" << "unknown-rule-kind" << "events[0].detect[0].kind" << "regex";
        QTest::newRow("placeholder") << "bad-template-placeholder.json" << "bad-template" << "events[0].summary" << "{buyer}";
        QTest::newRow("formatter") << "bad-template-formatter.json" << "bad-template" << "events[0].summary" << "money";
        QTest::newRow("brace") << "bad-template-brace.json" << "bad-template" << "events[0].summary" << "unclosed";
        QTest::newRow("sentence") << "bad-lifecycle-sentence.json" << "bad-template" << "events[0].lifecycle.onceSentence" << "{order}";
        QTest::newRow("field type") << "unknown-field-type.json" << "unknown-field-type" << "events[0].fields[1].type" << "money";
        QTest::newRow("lifecycle reference") << "unknown-event.json" << "unknown-event" << "events[1].lifecycle.after" << "Order Created";
        QTest::newRow("duplicate event") << "duplicate-event.json" << "duplicate-event" << "events[1]" << "ORDER_PAID";
        QTest::newRow("format") << "unsupported-format.json" << "unsupported-format" << "format" << "2";
        QTest::newRow("typo") << "unknown-member.json" << "unknown-member" << "events[0].fields[0].requred" << "requred";
        QTest::newRow("no rules") << "empty-detect.json" << "bad-value" << "events[0].detect" << "at least one";
        QTest::newRow("scheme") << "bad-choice.json" << "bad-value" << "signature.scheme" << "jws";
    }

    void brokenProfile()
    {
        QFETCH(QString, file);
        QFETCH(QString, code);
        QFETCH(QString, path);
        QFETCH(QString, words);
        ProfileCatalog catalog;
        const auto loaded = catalog.loadFile(dataPath(QStringLiteral("broken/") + file));
        QVERIFY(!loaded);
        const ProfileError &error = loaded.error();
        QCOMPARE(error.code, code);
        QCOMPARE(error.path, path);
        QVERIFY2(error.message.contains(words), qPrintable(error.message));
        QVERIFY2(error.toString().contains(file), qPrintable(error.toString()));
        QVERIFY(catalog.profiles().isEmpty());
    }

    void syntaxErrorHasLineAndColumn()
    {
        QFile file(dataPath(QStringLiteral("broken/syntax.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        const auto parsed = ProfileParser::parse(json, QStringLiteral("syntax.json"));
        QVERIFY(!parsed);
        // The stray comma sits on line 6; Qt reports the offset of the token after it.
        QCOMPARE(parsed.error().line, 6);
        QVERIFY(parsed.error().column > 1);
        QVERIFY(parsed.error().offset > json.indexOf("\"Order Paid\","));
        QVERIFY(parsed.error().toString().startsWith(QStringLiteral("syntax.json:6:")));
    }

    void userFolder()
    {
        ProfileCatalog catalog;
        const QList<ProfileError> errors = catalog.loadFolder(dataPath(QStringLiteral("user")));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.constFirst().code, QStringLiteral("json-syntax"));
        QVERIFY(errors.constFirst().file.endsWith(QStringLiteral("broken-in-folder.json")));
        QCOMPARE(catalog.profiles().size(), 1);
        const ProviderProfile *acme = catalog.profile(u"acme");
        QVERIFY(acme);
        QVERIFY(!acme->builtin);
        QCOMPARE(acme->signature.scheme, QStringLiteral("rfc9421"));
        QCOMPARE(acme->events.size(), 2);
        QCOMPARE(acme->events.at(1).id, QStringLiteral("order-refunded")); // slug derived from the name
    }

    void standardCatalogReadsTheUserFolder()
    {
        const QString folder = ProfileCatalog::userFolder();
        QVERIFY(folder.contains(QStringLiteral("hookscope-events-test")));
        QDir(folder).removeRecursively();
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::copy(dataPath(QStringLiteral("user/acme.json")), folder + QStringLiteral("/acme.json")));
        QVERIFY(QFile::copy(dataPath(QStringLiteral("broken/unknown-rule-kind.json")), folder + QStringLiteral("/zz.json")));
        QList<ProfileError> errors;
        const ProfileCatalog catalog = ProfileCatalog::standard(&errors);
        QDir(folder).removeRecursively();
        QVERIFY(catalog.profile(u"skillspring"));
        QVERIFY(catalog.profile(u"acme"));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.constFirst().code, QStringLiteral("unknown-rule-kind"));
        QVERIFY(errors.constFirst().file.endsWith(QStringLiteral("zz.json")));
    }

    void userProfileReplacesBuiltin()
    {
        ProfileCatalog catalog;
        catalog.loadFolder(ProfileCatalog::builtinFolder());
        const qsizetype count = catalog.profiles().size();
        const QByteArray replacement = R"json({"id": "skillspring", "name": "SkillSpring (mine)", "events": [
            {"name": "Coupon Creation", "detect": [{"kind": "field", "fields": ["kind"], "values": ["new-coupon"]}],
             "summary": "Coupon {$entityId} created"}]})json";
        const auto added = catalog.addProfile(replacement, QStringLiteral("/home/me/skillspring.json"));
        QVERIFY2(added, added ? "" : qPrintable(added.error().toString()));
        QCOMPARE(catalog.profiles().size(), count);
        QCOMPARE(catalog.profile(u"skillspring")->name, QStringLiteral("SkillSpring (mine)"));
        QVERIFY(!catalog.profile(u"skillspring")->builtin);
    }

    void installFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString folder = dir.filePath(QStringLiteral("providers"));
        ProfileCatalog catalog;
        const auto bad = catalog.installFile(dataPath(QStringLiteral("broken/missing-member.json")), folder);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, QStringLiteral("missing-member"));
        QVERIFY(!QFile::exists(folder + QStringLiteral("/missing-member.json")));

        const auto installed = catalog.installFile(dataPath(QStringLiteral("user/acme.json")), folder);
        QVERIFY(installed);
        QCOMPARE(*installed, folder + QStringLiteral("/acme.json"));
        QVERIFY(QFile::exists(*installed));
        QCOMPARE(catalog.profile(u"acme")->source, *installed);

        ProfileCatalog reloaded;
        QVERIFY(reloaded.loadFolder(folder).isEmpty());
        QVERIFY(reloaded.profile(u"acme"));
    }

    void unreadableFile()
    {
        ProfileCatalog catalog;
        const auto loaded = catalog.loadFile(dataPath(QStringLiteral("does-not-exist.json")));
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().code, QStringLiteral("unreadable-file"));
        QVERIFY(loaded.error().toString().contains(QStringLiteral("does-not-exist.json")));
    }
};

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
