//! SeaORM entities, one file per table.

pub mod api_tokens;
pub mod groups;
pub mod memberships;
pub mod one_time_links;
pub mod sessions;
pub mod users;
