#include "http/tlsconfiguration.h"

#include <QDir>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace Http {

namespace {

template <auto Free>
struct Deleter
{
    template <typename T>
    void operator()(T *p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, size);
}

bool writeFile(const QString &path, const QByteArray &bytes, QFileDevice::Permissions permissions)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.setPermissions(permissions);
    return file.write(bytes) == bytes.size() && file.flush();
}

QByteArray readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    return file.readAll();
}

} // namespace

std::expected<void, QString> createSelfSignedCertificate(const QString &certificateFile, const QString &keyFile)
{
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    X509Ptr cert(X509_new());
    if (!key || !cert)
        return std::unexpected(QStringLiteral("OpenSSL could not create a key pair"));

    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), long(QDateTime::currentSecsSinceEpoch()));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 825L * 24 * 3600); // the longest clients accept
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("localhost"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("Hookscope self-signed"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    const std::pair<int, const char *> extensions[] = {
        {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"},
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature"},
        {NID_ext_key_usage, "serverAuth"},
    };
    for (const auto &[nid, value] : extensions) {
        X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        if (!ext)
            return std::unexpected(QStringLiteral("OpenSSL could not build the certificate extensions"));
        X509_add_ext(cert.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return std::unexpected(QStringLiteral("OpenSSL could not sign the certificate"));

    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_X509(certBio.get(), cert.get())
        || !PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)) {
        return std::unexpected(QStringLiteral("OpenSSL could not write the certificate"));
    }
    if (!writeFile(keyFile, bioBytes(keyBio.get()), QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return std::unexpected(QStringLiteral("cannot write %1").arg(keyFile));
    if (!writeFile(certificateFile, bioBytes(certBio.get()), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther))
        return std::unexpected(QStringLiteral("cannot write %1").arg(certificateFile));
    return {};
}

std::expected<QSslConfiguration, QString> serverTlsConfiguration(const ListenerOptions &options)
{
    QString certificateFile = options.tlsCertificateFile;
    QString keyFile = options.tlsKeyFile;
    if (options.tls == TlsMode::SelfSigned) {
        const QString dir = options.dataDirectory + QStringLiteral("/tls");
        if (!QDir().mkpath(dir))
            return std::unexpected(QStringLiteral("cannot create %1").arg(dir));
        certificateFile = dir + QStringLiteral("/localhost-cert.pem");
        keyFile = dir + QStringLiteral("/localhost-key.pem");
        if (!QFile::exists(certificateFile) || !QFile::exists(keyFile)) {
            if (auto created = createSelfSignedCertificate(certificateFile, keyFile); !created)
                return std::unexpected(created.error());
        }
    }

    QString error;
    const QByteArray certPem = readFile(certificateFile, &error);
    if (!error.isEmpty())
        return std::unexpected(error);
    const QByteArray keyPem = readFile(keyFile, &error);
    if (!error.isEmpty())
        return std::unexpected(error);

    const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem, QSsl::Pem);
    if (chain.isEmpty())
        return std::unexpected(QStringLiteral("%1 holds no PEM certificate").arg(certificateFile));
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa, QSsl::Dsa}) {
        key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return std::unexpected(QStringLiteral("%1 holds no unencrypted PEM private key (RSA or EC)").arg(keyFile));

    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    return config;
}

} // namespace Http
