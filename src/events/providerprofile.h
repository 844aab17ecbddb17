#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Events {

/// How sure a detection is; ordered so that a larger value is surer.
enum class Confidence { None, Low, Medium, High, Certain };

QString confidenceName(Confidence confidence); // "none", "low", "medium", "high", "certain"

/// One field the provider documents: a dotted path ("id", "call.status"), its JSON type(s)
/// ("string", "number", "integer", "boolean", "object", "array", "array-of-objects", "null",
/// "any"), the provider's description, and whether it must be present.
struct FieldSpec
{
    QString name;
    QStringList types;
    QString description;
    bool required = true;
};

/// A rule that recognises an event type.
/// Header: one of `headers` carries one of `values`. FieldValue: one of `fields` holds one of
/// `values` (values compare case-insensitively, ignoring spaces, '_', '.', '-', ':' and '/').
/// Shape: every path in `required` is present. `assumption` is non-empty when the rule is not
/// backed by the provider's documentation.
struct DetectionRule
{
    enum class Kind { Header, FieldValue, Shape };

    Kind kind = Kind::Shape;
    QStringList headers;
    QStringList fields;
    QStringList values;
    QStringList required;
    Confidence confidence = Confidence::Medium;
    QString assumption;
};

/// Where an event type sits in its entity's lifecycle (checked by Events::Timeline).
/// after: event types expected earlier for the same entity; notAfter: event types after which
/// this one must not arrive; once: may happen only once per entity. The sentences are optional
/// templates with {$entity}, {$entityId}, {$event} and {$other} (the earlier event type).
struct LifecycleRule
{
    QStringList after;
    QStringList notAfter;
    bool once = false;
    QString onceSentence;
    QString notAfterSentence;
};

/// One event type of a provider, as a profile describes it.
struct EventTypeSpec
{
    QString id;   // slug, also the sample file stem: "conversation-ended"
    QString name; // as the provider names it: "Conversation Ended"
    bool documented = false; // false: the provider does not document the payload
    QString entity;          // "conversation", "coupon"
    QStringList entityIdFields;
    QStringList eventIdFields;
    QStringList timestampFields;
    QList<DetectionRule> detect;
    QList<FieldSpec> fields;
    QStringList unnamedFieldTypes; // extra fields of these types are expected (documented unnamed)
    QString unnamedFieldsDescription;
    QString summary; // template, see Events::SummaryTemplate
    LifecycleRule lifecycle;
    QStringList assumptions;
};

/// Signature scheme and key source defaults of a provider.
struct SignatureDefaults
{
    QString scheme;    // "cavage" or "rfc9421"
    QString algorithm; // "rsa-sha256"
    QStringList signatureHeaders; // where the signature is read from, in order
    QStringList covered;          // "(request-target)", "host", "date", "digest"
    QString digestHeader;         // "Digest"
    QString digestAlgorithm;      // "sha-256"
    QString keySourceKind;        // "jwks-url", "jwks-file", "secret"
    QString keySource;            // the URL or path
    QString notes;
};

/// A provider profile: what Hookscope knows about one webhook provider, loaded from JSON data
/// (see docs/provider-profiles.md). Users can add their own.
struct ProviderProfile
{
    int format = 1;
    QString id;
    QString name;
    QString description;
    QString documentation;
    SignatureDefaults signature;
    QList<EventTypeSpec> events;
    QString source;       // file the profile came from (":/providers/x.json" when built in)
    bool builtin = false;

    const EventTypeSpec *eventType(QStringView nameOrId) const;
};

/// Lowercase, with spaces and the separators _ . - : / removed: "COUPON_CREATION" and
/// "Coupon Creation" compare equal.
QString normalizedName(QStringView name);

} // namespace Events
