#pragma once

#include "events/decodedevent.h"
#include "events/providerprofile.h"
#include "http/capturedrequest.h"

#include <QByteArrayView>
#include <QList>

#include <memory>

namespace Events {

struct DecoderRules;

/// Matches captured requests to the event types of provider profiles, checks their payloads
/// against the documented fields and writes a one-line summary. Never fails: bodies that are
/// empty or not JSON give a result saying so. Cheap to copy; safe to use from several threads.
class Decoder final
{
public:
    explicit Decoder(QList<ProviderProfile> profiles = {});

    const QList<ProviderProfile> &profiles() const;

    /// What to find besides the event type, its checks and its summary.
    enum class Detail {
        Full,     // also the tables of the payload, for showing it
        NoTables, // everything but the tables
        /// What the analysis of every capture keeps (EventSummary, the entity, event id and
        /// time, body digest and lifecycle for Events::Timeline): no field checks or their
        /// problems, no tables, and the key order and identifiers only when the summary needs
        /// them. Those fields are identical to Full's.
        Summary,
    };
    DecodedEvent decode(const Http::CapturedRequest &request, Detail detail = Detail::Full) const;
    DecodedEvent decode(const QList<Http::HeaderField> &headers, QByteArrayView body, Detail detail = Detail::Full) const;

private:
    std::shared_ptr<const DecoderRules> m_rules; // the profiles, prepared once; shared by copies
};

} // namespace Events
