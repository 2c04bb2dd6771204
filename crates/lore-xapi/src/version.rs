//! The two versions of xAPI Lore speaks, chosen by the `X-Experience-API-Version` header.

use crate::Invalid;

/// An xAPI version: 1.0.3 (any 1.0.x client) or 2.0.0 (IEEE 9274.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    V1_0_3,
    V2_0_0,
}

impl Version {
    /// "1.0", "1.0.0".."1.0.3" (any 1.0.x) → V1_0_3; "2.0.0" (and 2.0.x) → V2_0_0; else Err.
    pub fn from_header(value: &str) -> Result<Version, Invalid> {
        let value = value.trim();
        let mut parts = value.split('.');
        let (major, minor, patch) = (parts.next(), parts.next(), parts.next());
        let numeric = |p: Option<&str>| {
            p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        // "1.0" is taken as "1.0.0" (1.0.3 Communication 3.3: the LRS MUST accept it).
        if value == "1.0" {
            return Ok(Version::V1_0_3);
        }
        if parts.next().is_none() && numeric(major) && numeric(minor) && numeric(patch) {
            match (major, minor) {
                (Some("1"), Some("0")) => return Ok(Version::V1_0_3),
                (Some("2"), Some("0")) => return Ok(Version::V2_0_0),
                _ => {}
            }
        }
        Err(Invalid::new(
            "version-header",
            "X-Experience-API-Version",
            format!("Unsupported xAPI version {value:?}; use 1.0.x or 2.0.0."),
        ))
    }

    /// The version this LRS answers with: "1.0.3" or "2.0.0".
    pub fn header_value(self) -> &'static str {
        match self {
            Version::V1_0_3 => "1.0.3",
            Version::V2_0_0 => "2.0.0",
        }
    }
}
