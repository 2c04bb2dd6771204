//! The demo courses' text: the folders under `crates/lore-app/demo/courses/`, embedded in the
//! binary and read as `lore courses import` reads a folder.
//!
//! `<slug>/` is version 1 (`course.toml`, `steps/`), as `lore courses export` writes it, and
//! `<slug>/versions/<n>/` is each later version, whole. Beside them, `questions.gift` holds a
//! version's final evaluation, which the folder format does not carry.

use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::courses::archive::{CourseFolder, FolderContent};
use crate::{AppError, AppResult};

static COURSES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/demo/courses");

/// Where later versions of a course live, inside its folder.
const VERSIONS: &str = "versions";
/// A version's evaluation questions, in GIFT.
pub(super) const QUESTIONS: &str = "questions.gift";

/// One version of a demo course, read from its folder.
pub(super) struct Version {
    /// `course.toml` and `steps/`: what `lore courses import` would read.
    pub(super) folder: CourseFolder,
    pub(super) content: FolderContent,
    /// The final evaluation's questions, in GIFT; `None` when the version has none.
    pub(super) questions: Option<&'static str>,
}

/// Every version of the course in `demo/courses/<slug>`, oldest first.
pub(super) fn versions(slug: &str) -> AppResult<Vec<Version>> {
    let first = COURSES
        .get_dir(slug)
        .ok_or_else(|| AppError::Internal(format!("the demo has no course folder {slug:?}")))?;
    let mut versions = vec![read(first)?];
    let later = Path::new(slug).join(VERSIONS);
    while let Some(dir) = COURSES.get_dir(later.join((versions.len() + 1).to_string())) {
        versions.push(read(dir)?);
    }
    Ok(versions)
}

/// A version's folder: every file below `dir` except later versions and the questions.
fn read(dir: &'static Dir<'static>) -> AppResult<Version> {
    let invalid = |path: &Path, reason: &str| {
        AppError::Internal(format!("the demo file {} {reason}", path.display()))
    };
    let mut folder = CourseFolder::new();
    let mut questions = None;
    let mut pending = vec![dir];
    while let Some(d) = pending.pop() {
        for file in d.files() {
            let path = relative(dir, file.path())
                .ok_or_else(|| invalid(file.path(), "has a name that is not UTF-8"))?;
            if path == QUESTIONS {
                let gift = file
                    .contents_utf8()
                    .ok_or_else(|| invalid(file.path(), "is not UTF-8"))?;
                questions = Some(gift);
            } else {
                folder.insert(&path, file.contents().to_vec())?;
            }
        }
        let versions = dir.path().join(VERSIONS);
        pending.extend(d.dirs().filter(|sub| sub.path() != versions));
    }
    let content = folder.content()?;
    Ok(Version {
        folder,
        content,
        questions,
    })
}

/// `path` below `dir`, `/`-separated as in a course folder.
fn relative(dir: &Dir<'_>, path: &Path) -> Option<String> {
    let parts = path
        .strip_prefix(dir.path())
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<&str>>>()?;
    Some(parts.join("/"))
}

/// Every file embedded, as (path below `demo/courses`, bytes), for the test that the binary
/// holds what the source tree does.
#[cfg(test)]
pub(super) fn embedded() -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    let mut pending = vec![&COURSES];
    while let Some(d) = pending.pop() {
        for file in d.files() {
            if let Some(path) = relative(&COURSES, file.path()) {
                out.push((path, file.contents()));
            }
        }
        pending.extend(d.dirs());
    }
    out.sort();
    out
}
