#pragma once

#include "events/providerprofile.h"
#include "events/summarytemplate.h"

#include <QByteArrayList>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Events {

/// A detection rule made ready to evaluate: what it reads from a capture as indexes into
/// DecoderRules::headerNames and DecoderRules::fieldPaths, its values normalised once.
struct PreparedRule
{
    const DetectionRule *rule = nullptr;
    QList<qsizetype> headers; // Header: into DecoderRules::headerNames
    QList<qsizetype> fields;  // FieldValue: into DecoderRules::fieldPaths, in the rule's order
    QStringList values;       // normalizedName() of each of rule->values
    QList<const FieldSpec *> requiredFields; // Shape: the documented field of each required path, or nullptr
};

/// An event type made ready to decode: its rules prepared, its summary template parsed, and what
/// checking its fields needs worked out once.
struct PreparedEventType
{
    const ProviderProfile *profile = nullptr;
    const EventTypeSpec *event = nullptr;
    QList<PreparedRule> rules;
    // Per entry of event->fields: the first field of that name (whose types count), its types
    // joined with '|', and its path's first key.
    QList<const FieldSpec *> documentedFields;
    QStringList expectedTypes;
    QStringList documentedRoots;
    std::optional<SummaryTemplate> summary; // nullopt when the template does not parse
    bool summaryNamesIdentifiers = false;   // the template has $identifiers
};

/// The provider profiles of an Events::Decoder, prepared once when the decoder is made: every
/// header name and field path that detection reads is gathered, so that a capture is read once
/// for all event types.
struct DecoderRules final
{
    explicit DecoderRules(QList<ProviderProfile> profiles);
    Q_DISABLE_COPY_MOVE(DecoderRules) // the prepared event types point into profiles

    const QList<ProviderProfile> profiles; // const: never detached, so the pointers stay valid
    QList<PreparedEventType> events;       // every event type of every profile, in order
    QByteArrayList headerNames;            // UTF-8, each once (header names compare case-insensitively)
    QStringList fieldPaths;                // each once

private:
    PreparedEventType prepare(const ProviderProfile &profile, const EventTypeSpec &event);
    qsizetype headerIndex(const QString &name);
    qsizetype fieldIndex(const QString &path);
};

} // namespace Events
