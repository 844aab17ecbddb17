// libFuzzer target for Http::RequestParser. The first input byte chooses the limits and where
// the rest is cut into pieces; the parser's invariants are checked by ParserDriver, and the
// result must not depend on the cuts. Run: fuzz_requestparser -dict=... tests/data/http/valid
#include "../core/http/parserdriver.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void require(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size == 0)
        return 0;
    const quint8 control = bytes[0];
    const QByteArrayView input(reinterpret_cast<const char *>(bytes) + 1, qsizetype(size - 1));
    Http::ParserLimits limits;
    if (control & 0x80) {
        limits.maxRequestLine = 40;
        limits.maxHeaderBytes = 80;
        limits.maxHeaderFields = 3;
        limits.maxBody = 12;
        limits.maxChunkLine = 10;
    }
    QList<qsizetype> cuts;
    const int step = (control & 0x7f) + 1;
    for (qsizetype at = step; at < input.size(); at += step)
        cuts.append(at);

    const ParserDriver whole = ParserDriver::run(input, {}, limits);
    const ParserDriver split = ParserDriver::run(input, cuts, limits);
    require(whole.violation.isEmpty(), qPrintable(whole.violation));
    require(split.violation.isEmpty(), qPrintable(split.violation));
    require(whole.consumed <= input.size(), "consumed more than offered");
    require(split.consumed == whole.consumed && split.failed == whole.failed, "cuts changed the outcome");
    require(split.requests.size() == whole.requests.size(), "cuts changed the request count");
    for (qsizetype i = 0; i < whole.requests.size(); ++i)
        require(ParserDriver::describe(split.requests[i]) == ParserDriver::describe(whole.requests[i]),
                "cuts changed a request");
    if (whole.failed)
        require(ParserDriver::describe(split.rejected) == ParserDriver::describe(whole.rejected),
                "cuts changed the rejection");
    return 0;
}
