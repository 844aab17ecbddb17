#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>

// Reads a file below tests/data/verify; fails the test (empty result) when it is missing.
inline QByteArray readVerifyData(const QString &relativePath)
{
    QFile file(QStringLiteral(HOOKSCOPE_TEST_DATA "/verify/") + relativePath);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("missing test data %s", qPrintable(relativePath));
        return {};
    }
    return file.readAll();
}

#include <expected>

// The error text of an expected, or an empty string: safe inside QVERIFY2 whatever the outcome.
template<typename T>
QString errorOf(const std::expected<T, QString> &result)
{
    return result ? QString() : result.error();
}
