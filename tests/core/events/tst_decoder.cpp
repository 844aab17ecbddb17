#include "events/decoder.h"
#include "events/profilecatalog.h"
#include "events/profileparser.h"
#include "events/samples.h"

#include <QJsonDocument>
#include <QTest>

using namespace Events;

namespace {

QList<Http::HeaderField> headers(std::initializer_list<std::pair<QByteArray, QByteArray>> fields)
{
    QList<Http::HeaderField> list;
    for (const auto &[name, value] : fields)
        list.append(Http::HeaderField{name, value, 0, 0});
    return list;
}

const FieldCheck *field(const DecodedEvent &event, QStringView name)
{
    for (const FieldCheck &check : event.fields) {
        if (check.name == name)
            return &check;
    }
    return nullptr;
}

QStringList problemCodes(const DecodedEvent &event)
{
    QStringList codes;
    for (const EventProblem &problem : event.problems)
        codes.append(problem.code);
    return codes;
}

// The documented Conversation Ended payload with one member changed (or removed when value is
// Undefined).
QByteArray conversation(const QString &key = {}, const QJsonValue &value = QJsonValue(QJsonValue::Undefined))
{
    QJsonObject object = QJsonDocument::fromJson(*samplePayload(QStringLiteral("conversation-ended"))).object();
    if (!key.isEmpty()) {
        if (value.isUndefined())
            object.remove(key);
        else
            object.insert(key, value);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestDecoder : public QObject
{
    Q_OBJECT

private:
    Decoder m_decoder;

private slots:
    void initTestCase()
    {
        ProfileCatalog catalog;
        QVERIFY(catalog.loadFolder(ProfileCatalog::builtinFolder()).isEmpty());
        m_decoder = catalog.decoder();
    }

    void samplesDecodeToTheirEventType()
    {
        const QStringList names = sampleNames();
        QCOMPARE(names, (QStringList{QStringLiteral("conversation-ended"), QStringLiteral("coupon-charged"),
                                     QStringLiteral("coupon-creation"), QStringLiteral("coupon-expiration"),
                                     QStringLiteral("coupon-redemption")}));
        const ProviderProfile &profile = m_decoder.profiles().constFirst();
        for (const QString &name : names) {
            const auto body = samplePayload(name);
            QVERIFY(body);
            const DecodedEvent event = m_decoder.decode({}, *body);
            QCOMPARE(event.eventTypeId, name);
            QCOMPARE(event.eventType, profile.eventType(name)->name);
            QVERIFY2(!event.hasProblems(), qPrintable(problemCodes(event).join(u',')));
            QVERIFY(!event.entityId.isEmpty());
            QVERIFY(event.eventTime.isValid() || name == u"conversation-ended");
        }
        // Names as the provider writes them work too.
        QCOMPARE(*samplePayload(QStringLiteral("Coupon Creation")), *samplePayload(QStringLiteral("COUPON_CREATION")));
        const auto unknown = samplePayload(QStringLiteral("order-paid"));
        QVERIFY(!unknown);
        QVERIFY(unknown.error().contains(QStringLiteral("conversation-ended")));
    }

    void conversationEndedByShape()
    {
        const DecodedEvent event = m_decoder.decode({}, *samplePayload(QStringLiteral("conversation-ended")));
        QCOMPARE(event.eventType, QStringLiteral("Conversation Ended"));
        QCOMPARE(event.providerId, QStringLiteral("skillspring"));
        QVERIFY(event.documented);
        QCOMPARE(event.matchedBy, MatchKind::Shape);
        QCOMPARE(event.confidence, Confidence::Medium);
        QVERIFY(event.matchAssumption.isEmpty());
        QCOMPARE(event.summary, QStringLiteral("Conversation c-81 with expert e-7 ended: completed, together 1 h 02 min 03 s"));
        QCOMPARE(event.entity, QStringLiteral("conversation"));
        QCOMPARE(event.entityId, QStringLiteral("c-81"));
        QVERIFY(event.problems.isEmpty());
        QStringList names;
        for (const FieldCheck &check : event.fields)
            names.append(check.name + u':' + fieldStatusName(check.status));
        QCOMPARE(names, (QStringList{QStringLiteral("id:ok"), QStringLiteral("expert:ok"), QStringLiteral("status:ok"),
                                     QStringLiteral("totalParticipantSeconds:ok"), QStringLiteral("participants:undocumented")}));
        QCOMPARE(field(event, u"totalParticipantSeconds")->description,
                 QStringLiteral("The number of seconds where participants and experts were on the call together"));
        QVERIFY(field(event, u"participants")->note.contains(QStringLiteral("arrays of objects")));
        QCOMPARE(event.tables.size(), 1);
        QCOMPARE(event.tables.at(0).path, QStringLiteral("participants"));
        QCOMPARE(event.tables.at(0).columns, (QStringList{QStringLiteral("id"), QStringLiteral("role"),
                                                          QStringLiteral("seconds"), QStringLiteral("joinedLate")}));
        QCOMPARE(event.tables.at(0).rows.size(), 2);

        const QJsonObject compact = event.compact().toJson();
        QCOMPARE(compact.keys(), (QStringList{QStringLiteral("entityId"), QStringLiteral("summary"), QStringLiteral("type")}));
        QCOMPARE(compact.value(u"type").toString(), QStringLiteral("Conversation Ended"));
        QCOMPARE(event.toJson().value(u"matchedBy").toString(), QStringLiteral("shape"));

        // Analysis of every capture leaves the tables out, and nothing else.
        const DecodedEvent lean = m_decoder.decode({}, *samplePayload(QStringLiteral("conversation-ended")),
                                                   Decoder::Detail::NoTables);
        QVERIFY(lean.tables.isEmpty());
        QCOMPARE(lean.compact().toJson(), compact);
        QJsonObject full = event.toJson();
        full.remove(QStringLiteral("tables"));
        QJsonObject leanJson = lean.toJson();
        leanJson.remove(QStringLiteral("tables"));
        QCOMPARE(leanJson, full);
    }

    void detectionByField_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::newRow("type") << "type" << "conversation.ended";
        QTest::newRow("eventType") << "eventType" << "CONVERSATION_ENDED";
        QTest::newRow("event") << "event" << "Conversation_Ended";
        QTest::newRow("event_type") << "event_type" << "conversation ended";
    }

    void detectionByField()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        const DecodedEvent event = m_decoder.decode({}, conversation(key, value));
        QCOMPARE(event.eventType, QStringLiteral("Conversation Ended"));
        QCOMPARE(event.matchedBy, MatchKind::FieldValue);
        QCOMPARE(event.confidence, Confidence::High);
        QVERIFY(event.matchDetail.contains(key));
        QVERIFY(!event.matchAssumption.isEmpty());
        QCOMPARE(field(event, key)->status, FieldStatus::Undocumented);
        QCOMPARE(problemCodes(event), QStringList{QStringLiteral("assumed-detection")});
    }

    void headerRuleIsCertainAndWins()
    {
        const QByteArray body = R"({"type": "Coupon Creation", "couponId": "cp-5"})";
        const DecodedEvent event = m_decoder.decode(headers({{"x-event-type", "coupon.charged"}}), body);
        QCOMPARE(event.eventType, QStringLiteral("Coupon Charged"));
        QCOMPARE(event.matchedBy, MatchKind::Header);
        QCOMPARE(event.confidence, Confidence::Certain);
        QCOMPARE(event.entityId, QStringLiteral("cp-5"));
        QCOMPARE(event.summary, QStringLiteral("Coupon cp-5 charged"));
    }

    void missingField()
    {
        const DecodedEvent event = m_decoder.decode({}, conversation(QStringLiteral("type"), QStringLiteral("Conversation Ended")).replace("\"expert\":\"e-7\",", ""));
        QCOMPARE(event.eventType, QStringLiteral("Conversation Ended"));
        QCOMPARE(field(event, u"expert")->status, FieldStatus::Missing);
        QVERIFY(problemCodes(event).contains(QStringLiteral("field-missing")));
        QVERIFY(event.hasProblems(EventProblem::Severity::Error));
        QCOMPARE(event.summary, QStringLiteral("Conversation c-81 with expert ? ended: completed, together 1 h 02 min 03 s"));

        // Without an event-type field the shape no longer matches: nothing is forced.
        const DecodedEvent bare = m_decoder.decode({}, conversation(QStringLiteral("expert")));
        QVERIFY(!bare.isRecognized());
        QCOMPARE(bare.summary, QStringLiteral("unrecognized JSON object; identifiers found: id=c-81"));
        QVERIFY(problemCodes(bare).contains(QStringLiteral("no-event-matched")));
    }

    void wrongType()
    {
        const DecodedEvent event = m_decoder.decode({}, conversation(QStringLiteral("totalParticipantSeconds"), QStringLiteral("3723")));
        QCOMPARE(event.eventType, QStringLiteral("Conversation Ended"));
        QCOMPARE(event.confidence, Confidence::Low); // the shape is there, its types are not
        const FieldCheck *check = field(event, u"totalParticipantSeconds");
        QCOMPARE(check->status, FieldStatus::WrongType);
        QCOMPARE(check->expectedType, QStringLiteral("number"));
        QCOMPARE(check->actualType, QStringLiteral("string"));
        QVERIFY(problemCodes(event).contains(QStringLiteral("field-wrong-type")));
        QVERIFY(event.summary.endsWith(QStringLiteral("together 3723")));
    }

    void extraFieldsAreListed()
    {
        const QByteArray body = conversation().chopped(1) + R"(,"recording":"r.mp3","segments":[{"from":0,"to":5}],"tags":["a"]})";
        const DecodedEvent event = m_decoder.decode({}, body);
        QCOMPARE(event.eventType, QStringLiteral("Conversation Ended"));
        QCOMPARE(field(event, u"recording")->status, FieldStatus::Unexpected);
        QCOMPARE(field(event, u"tags")->status, FieldStatus::Unexpected);
        QCOMPARE(field(event, u"segments")->status, FieldStatus::Undocumented); // an unnamed array of objects
        QCOMPARE(problemCodes(event), (QStringList{QStringLiteral("field-unexpected"), QStringLiteral("field-unexpected")}));
        QVERIFY(event.problems.at(0).message.contains(QStringLiteral("\"recording\"")));
        QCOMPARE(event.tables.size(), 2);
    }

    void notJson_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("truncated") << QByteArray(R"({"id": "c-81", "expert")");
        QTest::newRow("form") << QByteArray("id=c-81&expert=e-7");
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe{", 4);
        QTest::newRow("trailing garbage") << QByteArray(R"({"id": "c-81"} x)");
    }

    void notJson()
    {
        QFETCH(QByteArray, body);
        const DecodedEvent event = m_decoder.decode({}, body);
        QCOMPARE(event.body, DecodedEvent::Body::NotJson);
        QVERIFY(!event.isRecognized());
        QVERIFY(event.jsonErrorOffset >= 0);
        QCOMPARE(event.summary, QStringLiteral("not JSON: %1 at offset %2").arg(event.jsonError).arg(event.jsonErrorOffset));
        QCOMPARE(problemCodes(event), QStringList{QStringLiteral("not-json")});
        QVERIFY(event.compact().toJson().value(u"type").isNull());
        QVERIFY(event.compact().toJson().value(u"entityId").isNull());
    }

    void notJsonButHeaderMatched()
    {
        const DecodedEvent event = m_decoder.decode(headers({{"X-SkillSpring-Event", "Coupon Expiration"}}), "expired!");
        QCOMPARE(event.eventType, QStringLiteral("Coupon Expiration"));
        QVERIFY(event.summary.startsWith(QStringLiteral("Coupon Expiration: not JSON: ")));
        QVERIFY(problemCodes(event).contains(QStringLiteral("not-json")));
    }

    void emptyBody()
    {
        for (const QByteArray &body : {QByteArray(), QByteArray(" \r\n")}) {
            const DecodedEvent event = m_decoder.decode({}, body);
            QCOMPARE(event.body, DecodedEvent::Body::Empty);
            QCOMPARE(event.summary, QStringLiteral("empty body"));
            QCOMPARE(problemCodes(event), QStringList{QStringLiteral("empty-body")});
        }
    }

    void arrayBody()
    {
        const DecodedEvent event = m_decoder.decode({}, R"([{"id": "c-81", "expert": "e-7"}, {"id": "c-82", "n": 1}])");
        QCOMPARE(event.body, DecodedEvent::Body::OtherJson);
        QVERIFY(!event.isRecognized());
        QCOMPARE(event.summary, QStringLiteral("JSON array of 2 elements, not an event object"));
        QCOMPARE(problemCodes(event), QStringList{QStringLiteral("body-not-object")});
        QCOMPARE(event.tables.size(), 1);
        QCOMPARE(event.tables.at(0).path, QString());
        QCOMPARE(event.tables.at(0).columns, (QStringList{QStringLiteral("id"), QStringLiteral("expert"), QStringLiteral("n")}));
    }

    void couponIdentifiers()
    {
        const QByteArray body = R"({"type": "Coupon Redemption", "coupon": {"id": "cp-9", "code": "SPRING"},
                                    "orderId": 7, "amount": 5, "user_id": "u-1"})";
        const DecodedEvent event = m_decoder.decode({}, body);
        QCOMPARE(event.eventType, QStringLiteral("Coupon Redemption"));
        QVERIFY(!event.documented);
        QCOMPARE(event.entityId, QStringLiteral("cp-9"));
        QCOMPARE(event.entityIdField, QStringLiteral("coupon.id"));
        QCOMPARE(event.summary, QStringLiteral("Coupon cp-9 redeemed"));
        QStringList found;
        for (const Identifier &identifier : event.identifiers)
            found.append(identifier.path + u'=' + identifier.value);
        QCOMPARE(found, (QStringList{QStringLiteral("coupon.id=cp-9"), QStringLiteral("coupon.code=SPRING"),
                                     QStringLiteral("orderId=7"), QStringLiteral("user_id=u-1")}));
        // Nothing is checked, everything is listed.
        QCOMPARE(event.fields.size(), 5);
        for (const FieldCheck &check : event.fields)
            QCOMPARE(check.status, FieldStatus::Undocumented);
        QCOMPARE(problemCodes(event), (QStringList{QStringLiteral("assumed-detection"), QStringLiteral("undocumented-payload")}));
        QVERIFY(!event.hasProblems());
    }

    void couponEntityFallsBackToFirstIdentifier()
    {
        const DecodedEvent event = m_decoder.decode({}, R"({"event": "coupon.charged", "voucherId": "v-1", "price": 3})");
        QCOMPARE(event.eventType, QStringLiteral("Coupon Charged"));
        QCOMPARE(event.entityId, QStringLiteral("v-1"));
        QCOMPARE(event.entityIdField, QStringLiteral("voucherId"));
    }

    void unrecognizedObject()
    {
        const DecodedEvent event = m_decoder.decode({}, R"({"hello": "world", "ticketId": "t-1", "code": 12})");
        QVERIFY(!event.isRecognized());
        QCOMPARE(event.summary, QStringLiteral("unrecognized JSON object; identifiers found: ticketId=t-1, code=12"));
        QCOMPARE(m_decoder.decode({}, R"({"a": 1})").summary, QStringLiteral("unrecognized JSON object with 1 fields"));
    }

    void userProfile()
    {
        ProfileCatalog catalog;
        catalog.loadFolder(ProfileCatalog::builtinFolder());
        QVERIFY(catalog.loadFile(QStringLiteral(HOOKSCOPE_TEST_DATA "/events/profiles/user/acme.json")));
        const Decoder decoder = catalog.decoder();

        const QByteArray body = R"({"kind": "ORDER_PAID", "orderId": "o-1", "amount": 1250, "customer": {"email": "ANN@EXAMPLE.COM"},
                                    "deliveryId": "d-1", "paidAt": "2022-05-20T14:00:00Z"})";
        const DecodedEvent paid = decoder.decode({}, body);
        QCOMPARE(paid.providerId, QStringLiteral("acme"));
        QCOMPARE(paid.eventType, QStringLiteral("Order Paid"));
        QCOMPARE(paid.summary, QStringLiteral("Order o-1 paid: 1250 cents by ann@example.com"));
        QCOMPARE(paid.eventId, QStringLiteral("d-1"));
        QCOMPARE(paid.eventTime, QDateTime(QDate(2022, 5, 20), QTime(14, 0), Qt::UTC));
        QCOMPARE(paid.eventTimeField, QStringLiteral("paidAt"));
        QCOMPARE(field(paid, u"customer.email")->status, FieldStatus::Ok);
        QCOMPARE(field(paid, u"deliveryId")->status, FieldStatus::Unexpected); // acme documents no delivery id

        const DecodedEvent fractional = decoder.decode({}, R"({"kind": "order-paid", "orderId": "o-2", "amount": 12.5})");
        QCOMPARE(field(fractional, u"amount")->status, FieldStatus::WrongType); // "integer"
        QCOMPARE(field(fractional, u"customer.email")->status, FieldStatus::Absent); // optional
        QCOMPARE(problemCodes(fractional), QStringList{QStringLiteral("field-wrong-type")});

        // Two certain header matches from two providers: the first is chosen, and it is said.
        const DecodedEvent ambiguous = decoder.decode(
            headers({{"X-Acme-Event", "order.paid"}, {"X-Event-Type", "coupon.created"}}), R"({"orderId": "o-3", "amount": 1})");
        QCOMPARE(ambiguous.eventType, QStringLiteral("Coupon Creation"));
        QVERIFY(problemCodes(ambiguous).contains(QStringLiteral("ambiguous-match")));
    }

    void capturedRequestOverload()
    {
        const QByteArray body = *samplePayload(QStringLiteral("coupon-creation"));
        Http::CapturedRequest request;
        const QByteArray head = "POST /hooks HTTP/1.1\r\nHost: example.com\r\nX-Event-Type: coupon.created\r\n\r\n";
        request.raw = head + body;
        request.headers = headers({{"Host", "example.com"}, {"X-Event-Type", "coupon.created"}});
        request.bodyOffset = head.size();
        request.bodyLength = body.size();
        const DecodedEvent event = m_decoder.decode(request);
        QCOMPARE(event.matchedBy, MatchKind::Header);
        QCOMPARE(event.eventType, QStringLiteral("Coupon Creation"));
        QCOMPARE(event.entityId, QStringLiteral("cp-1001"));
        QCOMPARE(event.bodySha256, m_decoder.decode({}, body).bodySha256);
    }

    // Every $value a summary may name.
    void summaryValues()
    {
        const QByteArray json = R"json({"id": "acme", "name": "Acme", "events": [
            {"name": "Order Paid", "entity": "order", "entityIdFields": ["orderId"], "timestampFields": ["paidAt"],
             "detect": [{"kind": "field", "fields": ["type"], "values": ["order.paid"]}],
             "summary": "{$event} {$entity} {$entityId} at {$eventTime} ({$identifiers}) {$event}"}]})json";
        const auto profile = ProfileParser::parse(json, QStringLiteral("acme.json"));
        QVERIFY2(profile, profile ? "" : qPrintable(profile.error().toString()));
        const Decoder decoder({*profile});
        const DecodedEvent event = decoder.decode(
            {}, R"({"type":"order.paid","orderId":"o-9","paidAt":"2026-12-03T10:00:00Z","buyer":{"userId":42}})");
        QCOMPARE(event.summary, QStringLiteral("Order Paid order o-9 at 2026-12-03T10:00:00.000Z (orderId=o-9, buyer.userId=42) Order Paid"));
        const DecodedEvent bare = decoder.decode({}, R"({"type":"order.paid"})");
        QCOMPARE(bare.summary, QStringLiteral("Order Paid order ? at ? (?) Order Paid"));
        // The lean decoding reads the identifiers (in document order) when the summary names them.
        const DecodedEvent lean = decoder.decode(
            {}, R"({"type":"order.paid","orderId":"o-9","paidAt":"2026-12-03T10:00:00Z","buyer":{"userId":42}})",
            Decoder::Detail::Summary);
        QCOMPARE(lean.summary, event.summary);
    }

    // Detail::Summary, what the analysis of every capture decodes, leaves out the field checks,
    // the tables and (unless needed) the key order; everything the analysis reads is as Full has it.
    void summaryDetailKeepsWhatAnalysisReads_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("eventHeaders");
        QByteArrayList bodies;
        for (const QString &name : sampleNames())
            bodies.append(*samplePayload(name));
        bodies += {
            R"({"ty\u0070e":"coupon.created","a":{"z":1,"b":{}},"a":{"y":[{"q":1},{"p":2,"q":3}]},"code":"C-1","n":-0.0})",
            R"({"type":"Coupon_Redemption","coupon":{"couponId":"cp-7","items":[{"sku":"s1"}]},"id":12})",
            R"({"zetaId":"z-1","alphaId":"a-1","nested":{"betaCode":"b-2"},"ticketId":"t-3"})", // unmatched: identifiers in document order
            R"({"type":"conversation.ended","participants":[]})",  // documented, fields missing
            R"({"event":"ORDER_UNKNOWN","userId":7,"accountId":"ac-1"})",
            R"([{"b":1,"a":2},{"c":3}])", R"("text")", "  ", "", "{not json",
            R"({"type":5,"event":"coupon.charged","eventType":"","id":"x","timestamp":1700000000123})",
            R"({"type":"Coupon Expiration","c\u00f6de":"\u00fc-1","Id":1.5,"n_id":-3,"coupon":{"id":"cp-2"},"occurredAt":1700000000})",
        };
        for (qsizetype i = 0; i < bodies.size(); ++i) {
            QTest::addRow("body %lld", qlonglong(i)) << bodies.at(i) << false;
            QTest::addRow("body %lld, event headers", qlonglong(i)) << bodies.at(i) << true;
        }
    }

    void summaryDetailKeepsWhatAnalysisReads()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, eventHeaders);
        const QList<Http::HeaderField> fields = eventHeaders ? headers({{"X-Event-Type", "coupon.created"}}) : headers({});
        const DecodedEvent full = m_decoder.decode(fields, body);
        const DecodedEvent lean = m_decoder.decode(fields, body, Decoder::Detail::Summary);
        QCOMPARE(lean.compact().toJson(), full.compact().toJson());
        QCOMPARE(lean.eventType, full.eventType);
        QCOMPARE(lean.eventTypeId, full.eventTypeId);
        QCOMPARE(lean.entity, full.entity);
        QCOMPARE(lean.entityId, full.entityId);
        QCOMPARE(lean.entityIdField, full.entityIdField);
        QCOMPARE(lean.eventId, full.eventId);
        QCOMPARE(lean.eventTime, full.eventTime);
        QCOMPARE(lean.bodySha256, full.bodySha256);
        QCOMPARE(lean.lifecycle.after, full.lifecycle.after);
        QCOMPARE(lean.lifecycle.once, full.lifecycle.once);
        QCOMPARE(int(lean.body), int(full.body));
        QVERIFY(lean.fields.isEmpty());
        QVERIFY(lean.tables.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDecoder)
#include "tst_decoder.moc"
