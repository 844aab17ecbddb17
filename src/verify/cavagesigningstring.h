#pragma once

#include "verify/cavageparameters.h"
#include "verify/verdict.h"
#include "verify/verifierinput.h"

#include <expected>

namespace Verify {

/// The draft-cavage signing string and where each line came from.
struct CavageSigningString
{
    QByteArray text;
    QList<CoveredComponent> components;
};

// draft-cavage-http-signatures-12 §2.3: one `name: value` line per entry of `headers`, joined
// with "\n" (no trailing newline). `(request-target)` is the lowercased method, a space and the
// request-target as received; `(created)`/`(expires)` the parameters; a header is every value
// of that field, OWS-trimmed, joined with ", " (or Node's view, see VerifierInput). Also the
// older pseudo-headers joyent http-signature accepts: `request-line`, `(keyid)`, `(algorithm)`,
// `(opaque)`. Errors: header-missing (a listed header is not in the request) or
// signature-malformed (`(created)` without a created parameter, ...).
std::expected<CavageSigningString, Problem> buildCavageSigningString(const VerifierInput &input,
                                                                     const CavageParameters &params);

} // namespace Verify
