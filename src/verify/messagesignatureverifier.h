#pragma once

#include "verify/messagesignature.h"
#include "verify/verifiercontext.h"

namespace Verify {

// Checks every RFC 9421 signature of the set (§3.2): the signature base rebuilt from the
// request, the key by `keyid`, the algorithm from `alg` or the key, the signature.
QList<SignatureOutcome> verifyMessageSignatures(const VerifierInput &input, const MessageSignatureSet &set,
                                                const KeySet &keys, const Policy &policy);

} // namespace Verify
