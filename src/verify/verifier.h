#pragma once

#include "verify/key.h"
#include "verify/policy.h"
#include "verify/verdict.h"

#include <QDateTime>
#include <QString>

namespace Http {
struct CapturedRequest;
}

namespace Verify {

/// How a request arrived, where the request itself does not say.
struct VerifyOptions
{
    // "http" or "https" for RFC 9421 @scheme / @target-uri. Empty: "https" when the capture
    // carries TLS information (CapturedRequest::isTls), else "http" (a raw file says nothing).
    QString scheme;
};

/// Verifies captured requests against a key set and a policy. Keys are parsed once; verify() is
/// const and keeps no state, so one Verifier may be shared by threads (listener workers).
class Verifier final
{
public:
    Verifier(KeySet keys, Policy policy, VerifyOptions options = {});

    // The explained verdict for one request, with `now` as the clock for Date, created and
    // expires. The verdict's `file` is left empty for the caller to fill.
    Verdict verify(const Http::CapturedRequest &request, const QDateTime &now) const;

    const KeySet &keys() const { return m_keys; }
    const Policy &policy() const { return m_policy; }
    const VerifyOptions &options() const { return m_options; }

private:
    KeySet m_keys;
    Policy m_policy;
    VerifyOptions m_options;
};

} // namespace Verify
