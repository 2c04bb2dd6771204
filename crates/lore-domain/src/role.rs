//! Roles a membership gives, ordered from least to most power.

use serde::{Deserialize, Serialize};

use crate::Invalid;

/// A role in a group; it applies to that group and every group below it.
/// The order matters: a higher role can do all a lower one can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Learner,
    Author,
    Coach,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Learner, Role::Author, Role::Coach, Role::Admin];

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw.trim().to_lowercase().as_str() {
            "learner" => Ok(Role::Learner),
            "author" => Ok(Role::Author),
            "coach" => Ok(Role::Coach),
            "admin" => Ok(Role::Admin),
            other => Err(Invalid::new(
                "role",
                format!("Unknown role {other:?}; use learner, author, coach or admin."),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Author => "author",
            Role::Coach => "coach",
            Role::Admin => "admin",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_round_trip_and_order() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert_eq!(Role::parse(" Coach "), Ok(Role::Coach));
        assert!(Role::parse("owner").is_err());
        assert!(
            Role::Learner < Role::Author && Role::Author < Role::Coach && Role::Coach < Role::Admin
        );
    }
}
