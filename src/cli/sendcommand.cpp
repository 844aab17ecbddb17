#include "cli/sendcommand.h"

#include "capture/paths.h"
#include "events/samples.h"
#include "replay/emulatorkey.h"
#include "replay/providersigner.h"
#include "replay/webhooksender.h"
#include "verify/jwk.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QUrl>

#include <cstdio>

namespace Cli {

namespace {

const auto defaultKid = QStringLiteral("hookscope-emulator");

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "The provider emulator: signs a webhook body the way the provider does and POSTs it to URL.\n"
        "Each request carries Host (from URL), Date (RFC 7231 IMF-fixdate, the time of sending),\n"
        "Digest: SHA-256=<base64 of the body>, Content-Type: application/json and a draft-cavage signature\n"
        "Authorization: Signature keyId=\"KID\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"...\".\n"
        "Without --key an RSA-2048 key pair is created once in %1 (private.pem, mode 0600) and reused.\n"
        "Prints one line per request: 'sent N: STATUS' (N counts from 1, STATUS the HTTP status), or\n"
        "'sent N: failed (REASON)' when no answer arrived.\n"
        "Exit status: 0 every request got a 2xx answer, 1 any did not, 2 usage error or unreadable input.")
                                         .arg(QDir::toNativeSeparators(Capture::dataDirectory() + QStringLiteral("/emulator"))));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("to"), QStringLiteral("Where to POST: an http:// or https:// URL (required)."), QStringLiteral("URL")},
        {QStringLiteral("event"), QStringLiteral("Send the sample payload of this event type: %1 (default: %2).")
                                      .arg(Events::sampleNames().join(QStringLiteral(", ")), Events::sampleNames().value(0)),
         QStringLiteral("NAME")},
        {QStringLiteral("body"), QStringLiteral("Send this file's bytes as the body instead ('-' reads standard input)."), QStringLiteral("FILE")},
        {QStringLiteral("key"), QStringLiteral("Sign with this RSA private key: PEM (PKCS#8 or PKCS#1) or a private JWK (default: the emulator's own key)."), QStringLiteral("FILE")},
        {QStringLiteral("kid"), QStringLiteral("The keyId to send (default: the JWK's kid, else the key's RFC 7638 thumbprint)."), QStringLiteral("KID")},
        {QStringLiteral("jwks-out"), QStringLiteral("Write the public JWKS of the signing key (with that kid) to FILE before sending."), QStringLiteral("FILE")},
        {QStringLiteral("count"), QStringLiteral("Send N times, each with a fresh Date and signature (default 1; 0 sends nothing, e.g. with --jwks-out only)."), QStringLiteral("N"), QStringLiteral("1")},
        {QStringLiteral("insecure"), QStringLiteral("https: accept any server certificate (self-signed listeners); by default it is verified.")},
        {QStringLiteral("timeout"), QStringLiteral("Seconds to wait for each answer (default 30)."), QStringLiteral("SECONDS"), QStringLiteral("30")},
    });
}

int usageError(const QString &message)
{
    std::fprintf(stderr, "hookscope send: %s\n", qPrintable(message));
    return 2;
}

std::expected<QByteArray, QString> readBody(const QString &path)
{
    QFile file;
    if (path == QLatin1String("-")) {
        if (!file.open(stdin, QIODevice::ReadOnly))
            return std::unexpected(QStringLiteral("cannot read standard input"));
    } else {
        file.setFileName(path);
        if (!file.open(QIODevice::ReadOnly))
            return std::unexpected(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    }
    return file.readAll();
}

} // namespace

int runSend(const QStringList &arguments)
{
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(QStringList{QStringLiteral("hookscope send")} + arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QString help = parser.helpText();
        help.replace(0, help.indexOf(QLatin1Char('\n')), QStringLiteral("Usage: hookscope send --to URL [options]"));
        std::fputs(qPrintable(help), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    if (!parser.isSet(QStringLiteral("to")))
        return usageError(QStringLiteral("--to URL is required"));
    const QUrl url(parser.value(QStringLiteral("to")), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) || url.host().isEmpty())
        return usageError(QStringLiteral("--to takes an http:// or https:// URL, not '%1'").arg(parser.value(QStringLiteral("to"))));
    bool ok = false;
    const int count = parser.value(QStringLiteral("count")).toInt(&ok);
    if (!ok || count < 0)
        return usageError(QStringLiteral("--count takes a whole number, not '%1'").arg(parser.value(QStringLiteral("count"))));
    const int timeout = parser.value(QStringLiteral("timeout")).toInt(&ok);
    if (!ok || timeout < 1)
        return usageError(QStringLiteral("--timeout takes a number of seconds, not '%1'").arg(parser.value(QStringLiteral("timeout"))));
    if (parser.isSet(QStringLiteral("event")) && parser.isSet(QStringLiteral("body")))
        return usageError(QStringLiteral("--event and --body cannot be combined"));

    auto body = parser.isSet(QStringLiteral("body"))
              ? readBody(parser.value(QStringLiteral("body")))
              : Events::samplePayload(parser.isSet(QStringLiteral("event")) ? parser.value(QStringLiteral("event"))
                                                                           : Events::sampleNames().value(0));
    if (!body)
        return usageError(body.error());

    auto key = parser.isSet(QStringLiteral("key"))
             ? Replay::loadPrivateKeyFile(parser.value(QStringLiteral("key")))
             : Replay::loadOrCreateEmulatorKey(Capture::dataDirectory() + QStringLiteral("/emulator"));
    if (!key)
        return usageError(key.error());
    if ((*key)->type != Verify::KeyType::Rsa)
        return usageError(QStringLiteral("the provider signs with rsa-sha256: --key must be an RSA private key"));
    const QString kid = parser.isSet(QStringLiteral("kid")) ? parser.value(QStringLiteral("kid"))
                      : !(*key)->kid.isEmpty() ? (*key)->kid : defaultKid;

    if (parser.isSet(QStringLiteral("jwks-out"))) {
        auto published = std::make_shared<Verify::Key>(**key);
        published->kid = kid;
        published->jwkAlg = QStringLiteral("RS256");
        Verify::KeySet set;
        set.add(published);
        auto jwks = Verify::keySetToJwks(set);
        if (!jwks)
            return usageError(jwks.error());
        const QString path = parser.value(QStringLiteral("jwks-out"));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(*jwks + '\n') != jwks->size() + 1 || !file.commit())
            return usageError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    }

    // What QNetworkAccessManager puts on the request line (QHttpNetworkRequest::uri).
    QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (target.isEmpty() || target.startsWith('?'))
        target.prepend('/');
    Replay::ProviderSigner::Input input;
    input.target = target;
    input.host = url.authority(QUrl::RemoveUserInfo | QUrl::FullyEncoded).toLatin1();
    input.body = *body;

    const Replay::ProviderSigner signer(*key, kid);
    Replay::WebhookSender::Options sendOptions;
    sendOptions.insecure = parser.isSet(QStringLiteral("insecure"));
    sendOptions.timeoutMs = timeout * 1000;
    const Replay::WebhookSender sender(sendOptions);
    bool allOk = true;
    for (int n = 1; n <= count; ++n) {
        input.date = QDateTime::currentDateTimeUtc();
        auto headers = signer.sign(input);
        if (!headers)
            return usageError(headers.error());
        const Replay::SendResult result = sender.send(input.method, url, headers->fields, input.body);
        if (result.status != 0)
            std::fprintf(stdout, "sent %d: %d\n", n, result.status);
        else
            std::fprintf(stdout, "sent %d: failed (%s)\n", n, qPrintable(result.error));
        std::fflush(stdout);
        allOk = allOk && result.ok();
    }
    return allOk ? 0 : 1;
}

} // namespace Cli
