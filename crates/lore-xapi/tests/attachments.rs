//! Multipart bodies with attachment parts, hash checks, and signed statements.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on a broken fixture"
)]

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use lore_xapi::{Part, check_attachments, parse_multipart, write_multipart};
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const SIGNATURE: &str = "http://adlnet.gov/expapi/attachments/signature";

fn part(bytes: &[u8], content_type: &str) -> Part {
    Part {
        sha2: hex::encode(Sha256::digest(bytes)),
        content_type: content_type.to_owned(),
        bytes: bytes.to_vec(),
    }
}

fn header(part: &Part, usage: &str) -> Value {
    json!({"usageType": usage, "display": {"en-US": "file"}, "contentType": part.content_type,
           "length": part.bytes.len(), "sha2": part.sha2})
}

fn statement() -> Value {
    json!({
        "actor": {"mbox": "mailto:ada@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "https://lore.example/courses/1"}
    })
}

fn rule(statements: &[Value], parts: &[Part]) -> Option<&'static str> {
    check_attachments(statements, parts).err().map(|e| e.rule)
}

#[test]
fn a_written_body_reads_back() {
    let file = part(
        b"certificate bytes\r\n--not-the-boundary",
        "application/pdf",
    );
    let mut with_file = statement();
    with_file["attachments"] = json!([header(
        &file,
        "http://adlnet.gov/expapi/attachments/certificate"
    )]);
    let (content_type, body) = write_multipart(&json!([with_file]), std::slice::from_ref(&file));
    let (statements, parts) = parse_multipart(&content_type, &body).unwrap();
    assert_eq!(statements, json!([with_file]));
    assert_eq!(parts, vec![file.clone()]);
    assert_eq!(rule(statements.as_array().unwrap(), &parts), None);
}

#[test]
fn a_hand_written_body_with_lf_lines_and_a_quoted_boundary_reads() {
    let body = b"--abc\nContent-Type: application/json\n\n{\"a\":1}\n--abc\ncontent-type: text/plain\ncontent-transfer-encoding: BINARY\nx-experience-api-hash: 2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824\n\nhello\n--abc--\n";
    let (json, parts) = parse_multipart("multipart/mixed; boundary=\"abc\"", body).unwrap();
    assert_eq!(json, json!({"a": 1}));
    assert_eq!(parts[0].bytes, b"hello");
    assert_eq!(
        parts[0].sha2,
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
}

#[test]
fn malformed_bodies_are_refused() {
    let err =
        |content_type: &str, body: &[u8]| parse_multipart(content_type, body).unwrap_err().rule;
    assert_eq!(err("application/json", b""), "multipart-content-type");
    assert_eq!(err("multipart/mixed", b""), "multipart-content-type");
    assert_eq!(
        err("multipart/mixed; boundary=b", b"no parts"),
        "multipart-format"
    );
    assert_eq!(
        err(
            "multipart/mixed; boundary=b",
            b"--b\r\nContent-Type: application/json\r\n\r\n{}\r\n"
        ),
        "multipart-format"
    );
    assert_eq!(
        err(
            "multipart/mixed; boundary=b",
            b"--b\r\nContent-Type: text/plain\r\n\r\n{}\r\n--b--"
        ),
        "multipart-statement-part"
    );
    assert_eq!(
        err(
            "multipart/mixed; boundary=b",
            b"--b\r\nContent-Type: application/json\r\n\r\n{\r\n--b--"
        ),
        "multipart-statement-part"
    );
    let part = |headers: &str| {
        format!(
            "--b\r\nContent-Type: application/json\r\n\r\n{{}}\r\n--b\r\n{headers}\r\n\r\nx\r\n--b--"
        )
    };
    assert_eq!(
        err(
            "multipart/mixed; boundary=b",
            part("Content-Type: text/plain\r\nX-Experience-API-Hash: aa").as_bytes()
        ),
        "multipart-transfer-encoding"
    );
    assert_eq!(
        err(
            "multipart/mixed; boundary=b",
            part("Content-Type: text/plain\r\nContent-Transfer-Encoding: binary").as_bytes()
        ),
        "multipart-hash-header"
    );
    assert_eq!(
        err(
            "multipart/mixed; boundary=b",
            part("Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: aa").as_bytes()
        ),
        "multipart-part-content-type"
    );
}

#[test]
fn attachments_and_parts_must_match() {
    let file = part(b"pdf", "application/pdf");
    let mut with_file = statement();
    with_file["attachments"] = json!([header(
        &file,
        "http://adlnet.gov/expapi/attachments/certificate"
    )]);
    assert_eq!(
        rule(std::slice::from_ref(&with_file), &[]),
        Some("attachment-part-missing")
    );
    assert_eq!(
        rule(&[statement()], std::slice::from_ref(&file)),
        Some("attachment-part-unreferenced")
    );
    let mut lying = file.clone();
    lying.bytes = b"other".to_vec();
    assert_eq!(
        rule(std::slice::from_ref(&with_file), &[lying]),
        Some("attachment-hash-mismatch")
    );
    let mut remote = statement();
    let mut remote_header = header(&file, "http://adlnet.gov/expapi/attachments/certificate");
    remote_header["fileUrl"] = json!("https://lore.example/c.pdf");
    remote["attachments"] = json!([remote_header]);
    assert_eq!(rule(&[remote], &[]), None);
}

fn key() -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs8_der(include_bytes!("fixtures/leaf-key.der")).unwrap()
}

fn jws(header: &Value, payload: &Value) -> String {
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let signature = key()
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signed.as_bytes()),
        )
        .unwrap();
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The statement as sent: with its signature attachment header; and the part.
fn signed(jws: &str, sent: &Value) -> (Value, Part) {
    let signature = part(jws.as_bytes(), "application/octet-stream");
    let mut sent = sent.clone();
    sent["attachments"] = json!([header(&signature, SIGNATURE)]);
    (sent, signature)
}

fn x5c(certificates: &[&[u8]]) -> Value {
    Value::Array(
        certificates
            .iter()
            .map(|der| json!(STANDARD.encode(der)))
            .collect(),
    )
}

#[test]
fn signed_statements_verify() {
    let leaf: &[u8] = include_bytes!("fixtures/leaf.der");
    let ca: &[u8] = include_bytes!("fixtures/ca.der");
    for header in [
        json!({"alg": "RS256"}),
        json!({"alg": "RS256", "x5c": x5c(&[leaf])}),
        json!({"alg": "RS256", "x5c": x5c(&[leaf, ca])}),
    ] {
        let (sent, part) = signed(&jws(&header, &statement()), &statement());
        assert_eq!(rule(&[sent], &[part]), None, "{header}");
    }
    // The LRS-set properties do not count in the comparison.
    let mut with_id = statement();
    with_id["id"] = json!("fd41c918-b88b-4b20-a0a5-a4c32391aaa0");
    let (sent, part) = signed(&jws(&json!({"alg": "RS256"}), &statement()), &with_id);
    assert_eq!(rule(&[sent], &[part]), None);
}

#[test]
fn bad_signatures_are_refused() {
    let leaf: &[u8] = include_bytes!("fixtures/leaf.der");
    let ca: &[u8] = include_bytes!("fixtures/ca.der");
    let other: &[u8] = include_bytes!("fixtures/other.der");
    let check = |jws: &str, sent: &Value| {
        let (sent, part) = signed(jws, sent);
        rule(&[sent], &[part])
    };
    let mut changed = statement();
    changed["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/passed");
    assert_eq!(
        check(&jws(&json!({"alg": "RS256"}), &statement()), &changed),
        Some("signature-payload-mismatch")
    );
    assert_eq!(
        check(&jws(&json!({"alg": "HS256"}), &statement()), &statement()),
        Some("signature-algorithm")
    );
    assert_eq!(
        check("not.a-jws", &statement()),
        Some("signature-malformed")
    );
    assert_eq!(check("a.b.c.d", &statement()), Some("signature-malformed"));
    assert_eq!(
        check(
            &jws(&json!({"alg": "RS256", "x5c": x5c(&[other])}), &statement()),
            &statement()
        ),
        Some("signature-invalid")
    );
    assert_eq!(
        check(
            &jws(
                &json!({"alg": "RS256", "x5c": x5c(&[leaf, other])}),
                &statement()
            ),
            &statement()
        ),
        Some("signature-chain")
    );
    assert_eq!(
        check(
            &jws(
                &json!({"alg": "RS256", "x5c": x5c(&[ca, leaf])}),
                &statement()
            ),
            &statement()
        ),
        Some("signature-invalid")
    );
    assert_eq!(
        check(
            &jws(&json!({"alg": "RS256", "x5c": ["!!"]}), &statement()),
            &statement()
        ),
        Some("signature-certificate")
    );
    let good = jws(&json!({"alg": "RS256", "x5c": x5c(&[leaf])}), &statement());
    let at = good.len() - 10;
    let flipped = if &good[at..=at] == "A" { "B" } else { "A" };
    let tampered = format!("{}{flipped}{}", &good[..at], &good[at + 1..]);
    assert_eq!(check(&tampered, &statement()), Some("signature-invalid"));
}
