//! User stories, end to end against the real server: each runs on SQLite and on PostgreSQL.

mod support;

mod accounts;
mod groups;
mod people_import;
mod security;

