//! Roles as the API shows and accepts them.

use lore_domain::role::Role;
use serde::Serialize;

use crate::error::ApiError;

/// A role in a group; it applies to that group and every group below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = Role)]
pub enum ApiRole {
    Learner,
    Author,
    Coach,
    Admin,
}

impl From<Role> for ApiRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Learner => ApiRole::Learner,
            Role::Author => ApiRole::Author,
            Role::Coach => ApiRole::Coach,
            Role::Admin => ApiRole::Admin,
        }
    }
}

/// Parse a role named in a request. Request bodies carry the role as a plain string, so an
/// unknown role gets the domain's own message (and `field: "role"`) rather than serde's.
pub fn parse_role(raw: &str) -> Result<Role, ApiError> {
    Role::parse(raw).map_err(|e| ApiError(e.into()))
}
