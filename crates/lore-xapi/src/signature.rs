//! Signed statements (xAPI Data 2.6): a JWS in compact serialisation, RS256, RS384 or RS512,
//! whose payload is the statement as it was before it was signed.
//!
//! Checked: the JWS is well formed; the algorithm is one of the three; the payload is a JSON
//! statement that matches the received one by [`crate::same_statement`] (which ignores id,
//! authority, stored, timestamp, version and attachments); when the header carries `x5c`, the
//! signature verifies with the first certificate's RSA key, and each certificate of the chain
//! is signed by the next one's key. Whether the chain ends at a trusted root is not checked:
//! the spec says the X.509 check is there to catch mistakes, not to authenticate.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use serde_json::Value;
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode};

use crate::{Invalid, same_statement};

fn bad(rule: &'static str, message: impl Into<String>) -> Invalid {
    Invalid::new(rule, "signature", message)
}

#[derive(Clone, Copy)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn verify(self, key: &RsaPublicKey, message: &[u8], signature: &[u8]) -> bool {
        let result = match self {
            Hash::Sha256 => key.verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(message),
                signature,
            ),
            Hash::Sha384 => key.verify(
                Pkcs1v15Sign::new::<Sha384>(),
                &Sha384::digest(message),
                signature,
            ),
            Hash::Sha512 => key.verify(
                Pkcs1v15Sign::new::<Sha512>(),
                &Sha512::digest(message),
                signature,
            ),
        };
        result.is_ok()
    }
}

/// Checks a JWS signature attachment against the statement it came with.
pub(crate) fn verify(jws: &str, statement: &Value) -> Result<(), Invalid> {
    let mut pieces = jws.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (pieces.next(), pieces.next(), pieces.next(), pieces.next())
    else {
        return Err(bad(
            "signature-malformed",
            "A signature is a JWS in compact serialisation.",
        ));
    };
    let decode = |piece: &str| {
        URL_SAFE_NO_PAD
            .decode(piece)
            .map_err(|_| bad("signature-malformed", "A JWS part is not base64url."))
    };
    let header: Value = serde_json::from_slice(&decode(header_b64)?)
        .map_err(|_| bad("signature-malformed", "The JWS header is not JSON."))?;
    let hash = match header.get("alg").and_then(Value::as_str) {
        Some("RS256") => Hash::Sha256,
        Some("RS384") => Hash::Sha384,
        Some("RS512") => Hash::Sha512,
        other => {
            return Err(bad(
                "signature-algorithm",
                format!("The JWS algorithm {other:?} is not RS256, RS384 or RS512."),
            ));
        }
    };
    let payload: Value = serde_json::from_slice(&decode(payload_b64)?).map_err(|_| {
        bad(
            "signature-malformed",
            "The JWS payload is not a JSON statement.",
        )
    })?;
    if !same_statement(&payload, statement) {
        return Err(bad(
            "signature-payload-mismatch",
            "The signed statement (the JWS payload) differs from the statement sent.",
        ));
    }
    let signature = decode(signature_b64)?;
    if let Some(chain) = header.get("x5c") {
        let certificates = certificates(chain)?;
        let signing_key = public_key(
            certificates
                .first()
                .ok_or_else(|| bad("signature-certificate", "x5c is empty."))?,
        )?;
        let signed = format!("{header_b64}.{payload_b64}");
        if !hash.verify(&signing_key, signed.as_bytes(), &signature) {
            return Err(bad(
                "signature-invalid",
                "The signature does not verify with the x5c certificate's key.",
            ));
        }
        check_chain(&certificates)?;
    }
    Ok(())
}

/// x5c: an array of base64 (standard alphabet) DER certificates.
fn certificates(chain: &Value) -> Result<Vec<Certificate>, Invalid> {
    let items = chain
        .as_array()
        .ok_or_else(|| bad("signature-certificate", "x5c is an array."))?;
    items
        .iter()
        .map(|item| {
            let der = item
                .as_str()
                .and_then(|b64| STANDARD.decode(b64).ok())
                .ok_or_else(|| bad("signature-certificate", "An x5c entry is not base64 DER."))?;
            Certificate::from_der(&der).map_err(|_| {
                bad(
                    "signature-certificate",
                    "An x5c entry is not an X.509 certificate.",
                )
            })
        })
        .collect()
}

fn public_key(certificate: &Certificate) -> Result<RsaPublicKey, Invalid> {
    let spki = certificate
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|_| {
            bad(
                "signature-certificate",
                "The certificate's key cannot be read.",
            )
        })?;
    RsaPublicKey::from_public_key_der(&spki).map_err(|_| {
        bad(
            "signature-certificate",
            "The certificate's key is not an RSA key.",
        )
    })
}

/// Each certificate is signed (RSA with SHA-256/384/512) by the next one's key.
fn check_chain(certificates: &[Certificate]) -> Result<(), Invalid> {
    for pair in certificates.windows(2) {
        let (child, issuer) = (&pair[0], &pair[1]);
        let hash = match child.signature_algorithm.oid.to_string().as_str() {
            "1.2.840.113549.1.1.11" => Hash::Sha256,
            "1.2.840.113549.1.1.12" => Hash::Sha384,
            "1.2.840.113549.1.1.13" => Hash::Sha512,
            _ => {
                return Err(bad(
                    "signature-chain",
                    "A certificate of the chain is not signed with RSA and SHA-2.",
                ));
            }
        };
        let tbs = child.tbs_certificate.to_der().map_err(|_| {
            bad(
                "signature-chain",
                "A certificate of the chain cannot be read.",
            )
        })?;
        let signature = child.signature.as_bytes().ok_or_else(|| {
            bad(
                "signature-chain",
                "A certificate's signature cannot be read.",
            )
        })?;
        if !hash.verify(&public_key(issuer)?, &tbs, signature) {
            return Err(bad(
                "signature-chain",
                "A certificate of x5c is not signed by the next one.",
            ));
        }
    }
    Ok(())
}
