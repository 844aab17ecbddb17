#pragma once

#include "verify/crypto.h"
#include "verify/key.h"
#include "verify/policy.h"
#include "verify/verdict.h"
#include "verify/verifierinput.h"

#include <functional>
#include <optional>

namespace Verify {

// Internal pieces shared by the draft-cavage and RFC 9421 verifiers (not a public API).

/// Re-runs a signature check over a variant of the request: the signing string when it verifies.
using SignatureRetry = std::function<std::optional<QByteArray>(const VerifierInput &)>;

/// One signature's report plus what the orchestration needs beyond it.
struct SignatureOutcome
{
    SignatureReport report;
    SignatureRetry retry;                 // set when the signature did not verify but could be retried
    std::optional<qint64> signedTime;     // created, else a covered Date (Unix seconds)
    QString signedTimeSource;             // "created" or "Date"
    QList<Problem> failures;              // problems that make the verdict fail
    QList<Problem> hints;                 // problems that are only hints
};

KeyReport makeKeyReport(const Key &key);
QString keyTypeName(KeyType type);

// Candidate algorithms for a key when the signature names none (RFC 9421 §3.2 step 6, or
// draft-cavage hs2019): the JWK "alg" if any, else by key type (RSA: PSS-SHA512 then
// PKCS#1 v1.5 SHA-256; EC by curve; Ed25519; oct: HMAC-SHA256 then HMAC-SHA512).
QList<SignatureAlgorithm> algorithmsForKey(const Key &key, bool derEcdsa);

/// The result of checking a signature with one of several candidate algorithms.
struct CandidateCheck
{
    SignatureCheck check;
    std::optional<SignatureAlgorithm> algorithm; // the one that verified, or the last tried
};
// Hints for a failed check that a different PSS salt length or ECDSA encoding would have passed.
QList<Problem> encodingHints(const SignatureCheck &check);

CandidateCheck verifyWithCandidates(const Key &key, const QList<SignatureAlgorithm> &candidates,
                                    QByteArrayView data, QByteArrayView signature);

// Maps a failed check to the report's status.
SignatureStatus statusForCheck(const SignatureCheck &check);

} // namespace Verify
