#!/usr/bin/env python3
"""Writes the raw request fixtures of tst_requestparser byte-exact (CRLF, NUL, bare CR/LF).

Run from anywhere: python3 tests/data/http/generate.py. valid/ holds requests the parser must
accept; invalid/ holds one malformed request per rule. The parser test names the expected
status, code and stop point of each invalid file.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def crlf(*lines):
    return b"".join(line + b"\r\n" for line in lines)


VALID = {
    "get-simple": crlf(b"GET /hooks/abc?x=1&y=%20 HTTP/1.1", b"Host: example.com", b"User-Agent: test/1.0",
                       b"Accept: */*", b""),
    "post-json": crlf(b"POST /webhook HTTP/1.1", b"Host: localhost:8080", b"Content-Type: application/json",
                      b"Content-Length: 27", b"") + b'{"event":"ping","id":12345}',
    "post-binary": crlf(b"POST /bin HTTP/1.1", b"Host: h", b"Content-Type: application/octet-stream",
                        b"Content-Length: 12", b"") + b"\x00\x01\xff\xfe\r\n\x00\x80\x7f\r\x00\xc3",
    "chunked-extensions-trailers": crlf(
        b"POST /stream HTTP/1.1", b"Host: h", b"Transfer-Encoding: chunked", b"Trailer: X-Checksum", b"",
        b"5;name=value", b"hello",
        b"6 ; quoted=\"a \\\" b;c\" ; flag", b" world",
        b"000A", b"0123456789",
        b"0;last", b"X-Checksum: abc123", b"x-other:\tv ", b""),
    "headers-odd": crlf(b"GET / HTTP/1.1", b"HOST:   example.org  ", b"x-Dup: one", b"X-DUP:two",
                        b"X-Dup:  \tthree\t ", b"X-Empty:", b"X-Empty-Spaces:    ", b"X-High: caf\xc3\xa9 \x80\xff",
                        b"X-Tab: a\tb", b""),
    "expect-continue": crlf(b"PUT /upload HTTP/1.1", b"Host: h", b"Expect: 100-Continue", b"Content-Length: 4",
                            b"") + b"data",
    "absolute-form": crlf(b"GET http://example.com:8080/p/a/t/h?q=1 HTTP/1.1", b"Host: example.com:8080", b""),
    "options-asterisk": crlf(b"OPTIONS * HTTP/1.1", b"Host: h", b""),
    "connect-authority": crlf(b"CONNECT example.com:443 HTTP/1.1", b"Host: example.com:443", b""),
    "http10": crlf(b"GET /old HTTP/1.0", b"User-Agent: ancient", b""),
    "http10-keepalive": crlf(b"POST /old HTTP/1.0", b"Connection: Keep-Alive", b"Content-Length: 2", b"") + b"ok",
    "connection-close": crlf(b"GET / HTTP/1.1", b"Host: h", b"Connection: foo, Close", b""),
    "pipelined-three": crlf(b"GET /one HTTP/1.1", b"Host: h", b"")
    + crlf(b"POST /two HTTP/1.1", b"Host: h", b"Content-Length: 3", b"") + b"abc"
    + crlf(b"POST /three HTTP/1.1", b"Host: h", b"Transfer-Encoding: chunked", b"", b"2", b"xy", b"0", b""),
    "post-empty": crlf(b"POST /empty HTTP/1.1", b"Host: h", b"Content-Length: 0", b""),
}

HEAD = b"POST / HTTP/1.1\r\nHost: h\r\n"
NEXT = b"GET /next HTTP/1.1\r\nHost: h\r\n\r\n"  # a pipelined request the parser must not touch
CHUNKED = HEAD + b"Transfer-Encoding: chunked\r\n\r\n"

INVALID = {
    "cl-with-te": HEAD + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "cl-duplicate-equal": HEAD + b"Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
    "cl-list": HEAD + b"Content-Length: 5, 5\r\n\r\nhello",
    "cl-nondigit": HEAD + b"Content-Length: 5a\r\n\r\nhello",
    "cl-sign": HEAD + b"Content-Length: +5\r\n\r\nhello",
    "cl-inner-space": HEAD + b"Content-Length: 1 0\r\n\r\nhelloworld",
    "cl-overflow": HEAD + b"Content-Length: 99999999999999999999\r\n\r\nhello",
    "chunk-size-nonhex": CHUNKED + b"zz\r\nhello\r\n0\r\n\r\n",
    "chunk-size-empty": CHUNKED + b"\r\nhello\r\n0\r\n\r\n",
    "chunk-size-overflow": CHUNKED + b"10000000000000000\r\nhello\r\n0\r\n\r\n",
    "chunk-size-negative": CHUNKED + b"-5\r\nhello\r\n0\r\n\r\n",
    "chunk-extension-invalid": CHUNKED + b"5;=x\r\nhello\r\n0\r\n\r\n",
    "chunk-extension-unterminated-quote": CHUNKED + b"5;a=\"open\r\nhello\r\n0\r\n\r\n",
    "chunk-data-crlf-missing": CHUNKED + b"5\r\nhelloX\r\n0\r\n\r\n",
    "chunk-data-bare-lf": CHUNKED + b"5\r\nhello\n0\r\n\r\n",
    "obs-fold": b"GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n",
    "obs-fold-first-line": b"GET / HTTP/1.1\r\n\tHost: h\r\n\r\n",
    "trailer-obs-fold": CHUNKED + b"0\r\nX-T: a\r\n b\r\n\r\n",
    "bare-cr-header": b"GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n",
    "bare-cr-request-line": b"GET /\r HTTP/1.1\r\nHost: h\r\n\r\n",
    "bare-cr-leading": b"\rGET / HTTP/1.1\r\nHost: h\r\n\r\n",
    "bare-lf-request-line": b"GET / HTTP/1.1\nHost: h\n\n",
    "bare-lf-header": b"GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n",
    "header-name-whitespace": b"GET / HTTP/1.1\r\nHost : h\r\n\r\n",
    "header-name-tab": b"GET / HTTP/1.1\r\nHost: h\r\nX-A\t: v\r\n\r\n",
    "header-name-invalid": b"GET / HTTP/1.1\r\nHost: h\r\nX(A): v\r\n\r\n",
    "header-name-empty": b"GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n",
    "header-line-no-colon": b"GET / HTTP/1.1\r\nHost: h\r\nNoColonHere\r\n\r\n",
    "header-value-ctl": b"GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x01b\r\n\r\n",
    "header-value-nul": b"GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x00b\r\n\r\n",
    "header-value-del": b"GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x7fb\r\n\r\n",
    "host-missing": b"GET / HTTP/1.1\r\nX-A: b\r\n\r\n" + NEXT,
    "host-duplicate": b"GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n" + NEXT,
    "host-invalid": b"GET / HTTP/1.1\r\nHost: a b/c\r\n\r\n" + NEXT,
    "method-invalid": b"G(T / HTTP/1.1\r\nHost: h\r\n\r\n",
    "target-space": b"GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
    "target-ctl": b"GET /a\x01b HTTP/1.1\r\nHost: h\r\n\r\n",
    "target-fragment": b"GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n",
    "target-asterisk-not-options": b"GET * HTTP/1.1\r\nHost: h\r\n\r\n",
    "target-authority-not-connect": b"GET example.com:80 HTTP/1.1\r\nHost: h\r\n\r\n",
    "target-connect-origin": b"CONNECT /path HTTP/1.1\r\nHost: h\r\n\r\n",
    "target-bad-percent": b"GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n",
    "request-line-double-space": b"GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
    "request-line-trailing-space": b"GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
    "request-line-leading-space": b" GET / HTTP/1.1\r\nHost: h\r\n\r\n",
    "request-line-two-parts": b"GET /\r\nHost: h\r\n\r\n",
    "version-http2": b"GET / HTTP/2.0\r\nHost: h\r\n\r\n",
    "version-http12": b"GET / HTTP/1.2\r\nHost: h\r\n\r\n",
    "version-lowercase": b"GET / http/1.1\r\nHost: h\r\n\r\n",
    "version-no-minor": b"GET / HTTP/11\r\nHost: h\r\n\r\n",
    "te-gzip": HEAD + b"Transfer-Encoding: gzip\r\n\r\nxxxx",
    "te-gzip-chunked": HEAD + b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    "te-chunked-twice": HEAD + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "te-unknown": HEAD + b"Transfer-Encoding: foo\r\n\r\n0\r\n\r\n",
    "te-empty": HEAD + b"Transfer-Encoding: ,\r\n\r\n0\r\n\r\n",
    "te-http10": b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
}


def write(folder, fixtures):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    for name, data in fixtures.items():
        with open(os.path.join(HERE, folder, name + ".http"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    write("valid", VALID)
    write("invalid", INVALID)
