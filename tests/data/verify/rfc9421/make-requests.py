#!/usr/bin/env python3
"""Builds requests/*.http from the RFC 9421 vectors in this folder (run once; outputs committed).

- b21, b22, b23, b25, b26, s3.2: messages/test-request.http with the example's Signature-Input and
  Signature members added as header fields (RFC 9421 B.2 signs that request).
- s4.3, b3, b4*: the signed messages printed in excerpts/ (RFC 8792 '\\' unfolding applied).
Header lines end with CRLF; the body is copied byte for byte.
"""
import pathlib
import re

here = pathlib.Path(__file__).parent


def crlf_message(head_lines, body):
    return ("\r\n".join(head_lines) + "\r\n\r\n").encode() + body


def with_signature(example):
    request = (here / "messages/test-request.http").read_bytes()
    head, body = request.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    folder = here / "examples" / example
    lines.append("Signature-Input: " + (folder / "signature-input.txt").read_text())
    lines.append("Signature: " + (folder / "signature-field.txt").read_text())
    return crlf_message(lines, body)


def unfold_blocks(excerpt):
    """Every '~~~' block that starts with the RFC 8792 note and an HTTP request line."""
    text = (here / "excerpts" / excerpt).read_text()
    blocks = re.findall(r"~~~[^\n]*\n(.*?)~~~", text, re.S)
    messages = []
    for block in blocks:
        if "NOTE: '\\' line wrapping per RFC 8792" not in block:
            continue
        block = block.split("\n", 2)[2]  # drop the note and the blank line after it
        block = re.sub(r"\\\n[ ]*", "", block)  # RFC 8792 §7.2.2 single-backslash unfolding
        if not re.match(r"^(GET|POST) ", block):
            continue
        head, _, body = block.partition("\n\n")
        messages.append(crlf_message(head.split("\n"), body.strip("\n").encode()))
    return messages


outputs = {f"{name}.http": with_signature(folder) for name, folder in [
    ("b21", "b21-minimal-rsa-pss"), ("b22", "b22-selective-rsa-pss"),
    ("b23", "b23-full-coverage-rsa-pss"), ("b25", "b25-hmac-sha256"), ("b26", "b26-ed25519"),
    ("s3.2", "s3.2-sig1-rsa-pss")]}
proxy = [m for m in unfold_blocks("section-4.3-multiple-signatures.md") if b"proxy_sig" in m]
outputs["s4.3.http"] = proxy[-1]
ttrp = [m for m in unfold_blocks("appendix-B.3-tls-terminating-proxies.md") if b"ttrp" in m]
outputs["b3.http"] = ttrp[-1]
for index, message in enumerate(unfold_blocks("appendix-B.4-transformations.md")):
    outputs[f"b4-{index}.http"] = message
for name, data in outputs.items():
    (here / "requests" / name).write_bytes(data)
    print(name, len(data))
