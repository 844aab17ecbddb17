#pragma once

#include "verify/verdict.h"
#include "verify/verifiercontext.h"

namespace Verify {

// Diagnoses of a signature that did not verify: plausible variants of the request (Host with or
// without a port, the request-target without its query or with a proxy path prefix removed or
// added, the other scheme, Node's view of repeated headers vs the draft's). A diagnosis is
// reported only when the signature actually verifies over the variant (never a guess).
// covered: the signature's component names; retry: re-checks over a variant.
QList<Diagnosis> diagnoseSignature(const VerifierInput &input, const SignatureReport &report,
                                   const SignatureRetry &retry);

// "412 s behind" / "95 s ahead of": how a signed time relates to the verifier's clock.
QString describeSkew(const QString &what, qint64 signedTime, qint64 now);

} // namespace Verify
