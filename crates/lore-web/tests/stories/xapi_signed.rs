//! Signed statements (xAPI 1.0.3 Data 2.6; 2.0.0 4.2.3): a statement sent in multipart/mixed
//! with a JWS (RS256) signature part and a certificate part is stored and comes back with
//! both attachments; a payload that differs from the statement, an algorithm other than
//! RS256/384/512, a signature that does not verify against the x5c certificate, and a
//! signature part that is missing are each refused with 400 and the rule named.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use reqwest::{Method, StatusCode};
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::story;
use crate::support::TestApp;
use crate::xapi_harness::{Lrs, Reply, VERSIONS, client, query, statement};

const SIGNATURE: &str = "http://adlnet.gov/expapi/attachments/signature";
const KEY: &[u8] = include_bytes!("../../../lore-xapi/tests/fixtures/leaf-key.der");
const CERTIFICATE: &[u8] = include_bytes!("../../../lore-xapi/tests/fixtures/leaf.der");

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A JWS in compact serialisation of `payload`, signed with RS256 whatever `header` says.
fn jws(header: &Value, payload: &Value) -> String {
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let key = RsaPrivateKey::from_pkcs8_der(KEY).expect("test key");
    let signature = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signed.as_bytes()),
        )
        .expect("sign");
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
}

fn rs256() -> Value {
    json!({ "alg": "RS256", "x5c": [STANDARD.encode(CERTIFICATE)] })
}

/// POST `sent` in multipart/mixed with the signature part and a certificate text part.
async fn post_signed(lrs: &Lrs, sent: &Value, jws: &str, certificate: &[u8]) -> Reply {
    let mut sent = sent.clone();
    sent["attachments"] = json!([
        {
            "usageType": SIGNATURE,
            "display": { "en-US": "Signature" },
            "contentType": "application/octet-stream",
            "length": jws.len(),
            "sha2": sha256(jws.as_bytes()),
        },
        {
            "usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
            "display": { "en-US": "Certificate" },
            "contentType": "text/plain",
            "length": certificate.len(),
            "sha2": sha256(certificate),
        }
    ]);
    let mut body = Vec::new();
    body.extend_from_slice(b"--sig\r\nContent-Type: application/json\r\n\r\n");
    body.extend_from_slice(sent.to_string().as_bytes());
    for (content_type, bytes) in [
        ("application/octet-stream", jws.as_bytes()),
        ("text/plain", certificate),
    ] {
        body.extend_from_slice(
            format!(
                "\r\n--sig\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n\
                 X-Experience-API-Hash: {}\r\n\r\n",
                sha256(bytes)
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
    }
    body.extend_from_slice(b"\r\n--sig--\r\n");
    lrs.send(
        lrs.request(Method::POST, "/statements")
            .header("content-type", "multipart/mixed; boundary=sig")
            .body(body),
    )
    .await
}

story!(signed_statements_are_stored_and_bad_signatures_named);
async fn signed_statements_are_stored_and_bad_signatures_named(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let original = statement("ada", "completed", &format!("signed-{version}"));
        let certificate = format!("Certificate for ada ({version})").into_bytes();
        let r = post_signed(&lrs, &original, &jws(&rs256(), &original), &certificate).await;
        r.expect(StatusCode::OK);
        let id = r.json()[0].as_str().expect("id").to_owned();
        // Fetched back with both attachments, the signature part byte for byte.
        let r = lrs
            .get(&query(&[("statementId", &id), ("attachments", "true")]))
            .await;
        r.expect(StatusCode::OK);
        assert!(r.header("content-type").starts_with("multipart/mixed"));
        let text = String::from_utf8_lossy(&r.body).to_string();
        let signature = jws(&rs256(), &original);
        assert!(text.contains(&signature), "the JWS part comes back");
        assert!(text.contains(&String::from_utf8_lossy(&certificate).to_string()));
        assert!(text.contains(SIGNATURE));
        // The payload must be the statement sent (here: another verb).
        let mut changed = original.clone();
        changed["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/passed");
        post_signed(&lrs, &changed, &jws(&rs256(), &original), &certificate)
            .await
            .expect_rule("signature-payload-mismatch");
        // Only RS256, RS384 and RS512.
        let hs256 = json!({ "alg": "HS256" });
        post_signed(&lrs, &original, &jws(&hs256, &original), &certificate)
            .await
            .expect_rule("signature-algorithm");
        // A tampered signature does not verify with the x5c certificate's key.
        let good = jws(&rs256(), &original);
        let (signed, sig) = good.rsplit_once('.').expect("three parts");
        let mut bytes = URL_SAFE_NO_PAD.decode(sig).expect("base64url");
        bytes[0] ^= 0x55;
        let tampered = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(bytes));
        post_signed(&lrs, &original, &tampered, &certificate)
            .await
            .expect_rule("signature-invalid");
        // Not a JWS at all.
        post_signed(&lrs, &original, "not-a-jws", &certificate)
            .await
            .expect_rule("signature-malformed");
    }
}
