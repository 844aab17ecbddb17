#pragma once

#include "verify/messagesignature.h"
#include "verify/verdict.h"
#include "verify/verifierinput.h"

#include <expected>

namespace Verify {

/// An RFC 9421 signature base and where each covered component came from.
struct MessageSignatureBase
{
    QByteArray text;
    QList<CoveredComponent> components;
};

// RFC 9421 §2.5: one `"identifier";params: value` line per covered component, then the
// `"@signature-params"` line, joined with "\n" and no trailing newline. Derived components per
// §2.2 (request side): @method, @target-uri, @authority, @scheme, @request-target, @path, @query,
// @query-param (§2.2.8). Fields per §2.1 with the `sf`, `key`, `bs` and `tr` parameters; `req`
// and @status are response-side (component-unsupported). Errors: header-missing,
// signature-malformed, component-unsupported.
std::expected<MessageSignatureBase, Problem> buildSignatureBase(const VerifierInput &input,
                                                                const MessageSignature &signature);

// §2.2.8: a query parameter name or value decoded as application/x-www-form-urlencoded and
// re-encoded with that percent-encode set (space as %20).
QByteArray reencodeQueryComponent(QByteArrayView text);

} // namespace Verify
