//! Pure rules of Lore: identifiers, validated values, roles and the permission policy.
//! Nothing here does IO, awaits, or reads the clock; callers pass what they know.

/// Declares a closed set of words kept in a text column: `ALL`, `parse` (any other word is
/// refused with `Invalid`), `as_str`, `Display`, and serde that reads and writes the same words.
macro_rules! word_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $field:literal {
            $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn parse(raw: &str) -> Result<Self, $crate::Invalid> {
                match raw.trim() {
                    $($word => Ok($name::$variant),)+
                    other => Err($crate::Invalid::new(
                        $field,
                        format!(
                            "Unknown {} {other:?}; use {}.",
                            $field,
                            [$($word),+].join(", ")
                        ),
                    )),
                }
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                $name::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub mod account;
pub mod assignment;
pub mod audit;
pub mod certificate;
pub mod course;
mod csv_lines;
pub mod date_range;
pub mod discussion;
pub mod essay;
pub mod funnel;
pub mod gift;
pub mod group;
pub mod ical;
pub mod ids;
pub mod item_analysis;
pub mod knowledge;
pub mod need;
pub mod notification;
pub mod outcome;
pub mod outcome_report;
pub mod path;
pub mod people_csv;
pub mod people_import;
pub mod policy;
pub mod progress_replay;
pub mod question;
pub mod question_bank;
pub mod question_csv;
mod question_weights;
pub mod reactions;
pub mod reminder;
pub mod review;
pub mod role;
pub mod scoring;
pub mod stats;
pub mod suggested_edit;
pub mod visibility;
pub mod webhook;
pub mod xapi_forwarding;

/// Why a value from outside was refused; `field` names the input, `message` speaks human.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}
