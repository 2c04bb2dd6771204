//! Courses: writing them (authoring), finding them (catalogue), taking them (learning).

pub mod access;
pub mod archive;
pub mod authoring;
pub mod catalogue;
pub mod learning;
pub mod people;
mod replay;
pub mod review;
pub mod upkeep;

pub use access::CourseContext;
