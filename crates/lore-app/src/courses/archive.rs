//! Courses as folders of Markdown: `course.toml`, one `steps/NN-slug.md` per step and the
//! uploaded files under `assets/`. Export one version; import a folder (or a zip of one) as a
//! new course. The format is described in `docs/decisions/0004-course-folder-format.md`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use bytes::Bytes;

use lore_domain::course::{
    ChangeNote, CourseSummary, CourseTitle, Language, Minutes, StepKey, StepKind, Tags,
};
use lore_domain::ids::GroupId;
use lore_domain::policy::Action;
use lore_store::{StepFields, VersionMeta, VersionRow};
use serde::{Deserialize, Serialize};

use super::authoring::{StepInput, new_step_key, step_fields, tags_json, tags_of};
use crate::blobs::{BlobPurpose, BlobRead};
use crate::{App, AppError, AppResult, Caller};

/// The version of the folder format this Lore writes and reads.
pub const FORMAT: i64 = 1;
/// The course-level file at the top of the folder.
pub const COURSE_FILE: &str = "course.toml";
const STEPS_DIR: &str = "steps/";
const ASSETS_DIR: &str = "assets/";
/// `course.toml` and step files are text an author wrote; anything larger is a mistake.
const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// The same cap as the editor's.
const MAX_STEPS: usize = 200;
const MAX_PATH_CHARS: usize = 400;

/// The largest zip the web form accepts: what a whole course may unpack to.
pub const MAX_ZIP_BYTES: usize = 600 * 1024 * 1024;

/// What a folder or zip may hold before it is refused unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// Files in the folder (directories not counted).
    pub max_entries: usize,
    /// Bytes of all files together, counted as they are actually unpacked.
    pub max_total_bytes: u64,
    /// Largest unpacked:packed ratio of one zip entry once it is past `ratio_floor_bytes`.
    pub max_ratio: u64,
    /// Entries smaller than this are never refused for their ratio (small text compresses well).
    pub ratio_floor_bytes: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        Self {
            max_entries: 2_000,
            max_total_bytes: MAX_ZIP_BYTES as u64,
            max_ratio: 200,
            ratio_floor_bytes: 1024 * 1024,
        }
    }
}

/// A course folder in memory: relative paths (`steps/01-intro.md`, `/`-separated, never
/// escaping the folder) and their bytes, in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseFolder {
    files: BTreeMap<String, Vec<u8>>,
}

/// How an import should end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    /// Publish the imported draft as version 1 right away (where the group requires review:
    /// submit it for review instead).
    pub publish: bool,
    /// Own the course in this group instead of the one `course.toml` names.
    pub group_id: Option<i64>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            publish: true,
            group_id: None,
        }
    }
}

/// A problem with one file of the folder: `steps/03-x.md: reason`.
fn bad(path: &str, reason: impl Display) -> AppError {
    AppError::invalid("file", format!("{path}: {reason}"))
}

fn folder_error(path: &Path, reason: impl Display) -> AppError {
    AppError::invalid("folder", format!("{}: {reason}", path.display()))
}

/// A path from a zip entry, a directory walk or `course.toml`, made canonical:
/// `Ok(None)` for entries to skip silently (directories, hidden files such as `.git/…`,
/// macOS `__MACOSX/` metadata), an error for anything that could point outside the folder.
fn clean_path(raw: &str) -> Result<Option<String>, &'static str> {
    if raw.contains('\\') {
        return Err("has a backslash in its path; folders are separated by /");
    }
    if raw.starts_with('/') {
        return Err("is an absolute path; paths must stay inside the course folder");
    }
    if raw.chars().any(char::is_control) {
        return Err("has control characters in its name");
    }
    if raw.chars().count() > MAX_PATH_CHARS {
        return Err("has a path longer than 400 characters");
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("goes up a folder (..); paths must stay inside the course folder"),
            p if p.contains(':') => {
                return Err("has a ':' in its path (a drive letter or stream name)");
            }
            p => parts.push(p),
        }
    }
    let hidden = parts.iter().any(|p| p.starts_with('.')) || parts.first() == Some(&"__MACOSX");
    if parts.is_empty() || hidden {
        return Ok(None);
    }
    Ok(Some(parts.join("/")))
}

impl CourseFolder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a file; refuses paths that are hidden, escape the folder, or are already there.
    pub fn insert(&mut self, path: &str, data: Vec<u8>) -> AppResult<()> {
        let clean = clean_path(path)
            .map_err(|reason| bad(path, reason))?
            .ok_or_else(|| bad(path, "is not a file name Lore keeps (empty or hidden)"))?;
        if self.files.contains_key(&clean) {
            return Err(bad(&clean, "appears twice"));
        }
        self.files.insert(clean, data);
        Ok(())
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Every file as (relative path, bytes), in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, d)| (p.as_str(), d.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// A zip made on a desktop often wraps everything in one folder (`my-course/course.toml`);
    /// treat that folder as the course folder.
    fn unwrap_single_folder(self) -> Self {
        if self.files.contains_key(COURSE_FILE) {
            return self;
        }
        let Some(first) = self.files.keys().next() else {
            return self;
        };
        let Some((top, _)) = first.split_once('/') else {
            return self;
        };
        let prefix = format!("{top}/");
        let wrapped = self.files.keys().all(|p| p.starts_with(&prefix))
            && self.files.contains_key(&format!("{prefix}{COURSE_FILE}"));
        if !wrapped {
            return self;
        }
        Self {
            files: self
                .files
                .into_iter()
                .map(|(p, d)| (p[prefix.len()..].to_owned(), d))
                .collect(),
        }
    }

    /// Read a folder from disk. Hidden entries (`.git`, `.DS_Store`) are skipped; symbolic
    /// links and other special files are refused, so nothing outside the folder is read.
    pub fn from_dir(root: &Path) -> AppResult<Self> {
        Self::from_dir_with(root, &ArchiveLimits::default())
    }

    pub fn from_dir_with(root: &Path, limits: &ArchiveLimits) -> AppResult<Self> {
        let meta = std::fs::metadata(root).map_err(|e| folder_error(root, e))?;
        if !meta.is_dir() {
            return Err(folder_error(root, "is not a folder"));
        }
        let mut folder = Self::new();
        let mut total: u64 = 0;
        let mut pending: Vec<(std::path::PathBuf, String)> =
            vec![(root.to_path_buf(), String::new())];
        while let Some((dir, rel)) = pending.pop() {
            let mut entries = Vec::new();
            for entry in std::fs::read_dir(&dir).map_err(|e| folder_error(&dir, e))? {
                entries.push(entry.map_err(|e| folder_error(&dir, e))?);
            }
            entries.sort_by_key(std::fs::DirEntry::file_name);
            for entry in entries {
                let name = entry
                    .file_name()
                    .into_string()
                    .map_err(|raw| folder_error(&dir.join(raw), "has a name that is not UTF-8"))?;
                let path = format!("{rel}{name}");
                if name.starts_with('.') {
                    continue;
                }
                let kind = entry.file_type().map_err(|e| bad(&path, e))?;
                if kind.is_symlink() {
                    return Err(bad(
                        &path,
                        "is a symbolic link; copy the file into the folder instead",
                    ));
                }
                if kind.is_dir() {
                    pending.push((entry.path(), format!("{path}/")));
                    continue;
                }
                if !kind.is_file() {
                    return Err(bad(&path, "is not a regular file"));
                }
                if folder.len() >= limits.max_entries {
                    return Err(too_many_files(limits));
                }
                let data = std::fs::read(entry.path()).map_err(|e| bad(&path, e))?;
                total += data.len() as u64;
                if total > limits.max_total_bytes {
                    return Err(too_large(limits));
                }
                folder.insert(&path, data)?;
            }
        }
        Ok(folder)
    }

    /// Write every file below `root`, which must not exist yet or be an empty folder.
    pub fn write_to_dir(&self, root: &Path) -> AppResult<()> {
        match std::fs::symlink_metadata(root) {
            Ok(meta) if meta.is_dir() => {
                let mut entries = std::fs::read_dir(root).map_err(|e| folder_error(root, e))?;
                if entries.next().is_some() {
                    return Err(folder_error(
                        root,
                        "is not empty; export into a new or empty folder",
                    ));
                }
            }
            Ok(_) => return Err(folder_error(root, "exists and is not a folder")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(root).map_err(|e| folder_error(root, e))?;
            }
            Err(e) => return Err(folder_error(root, e)),
        }
        for (path, data) in &self.files {
            // Paths were cleaned on the way in; check again, since this is where it matters.
            if clean_path(path).ok().flatten().as_deref() != Some(path.as_str()) {
                return Err(bad(path, "is not a safe path"));
            }
            let target = root.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| folder_error(parent, e))?;
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
                .map_err(|e| folder_error(&target, e))?;
            file.write_all(data).map_err(|e| folder_error(&target, e))?;
        }
        Ok(())
    }

    /// Read a zip of a course folder. Entries that could land outside the folder, links,
    /// encrypted entries and anything that unpacks suspiciously large are refused; sizes are
    /// counted as bytes come out, not taken from the zip's own headers.
    pub fn from_zip(bytes: &[u8], limits: &ArchiveLimits) -> AppResult<Self> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            AppError::invalid(
                "file",
                format!("This is not a zip file Lore can read ({e})."),
            )
        })?;
        if archive.len() > limits.max_entries {
            return Err(too_many_files(limits));
        }
        let mut folder = Self::new();
        let mut total: u64 = 0;
        let mut buf = vec![0u8; 64 * 1024];
        for i in 0..archive.len() {
            let (path, packed) = {
                let entry = archive
                    .by_index_raw(i)
                    .map_err(|e| AppError::invalid("file", format!("Zip entry {i}: {e}")))?;
                let raw = entry
                    .name()
                    .map_err(|e| AppError::invalid("file", format!("Zip entry {i}: {e}")))?
                    .into_owned();
                let shown = format!("{raw:?}");
                if entry.is_symlink() {
                    return Err(bad(
                        &shown,
                        "is a symbolic link; Lore does not follow links",
                    ));
                }
                let path = clean_path(&raw).map_err(|reason| bad(&shown, reason))?;
                let Some(path) = path.filter(|_| !entry.is_dir()) else {
                    continue;
                };
                if entry.encrypted() {
                    return Err(bad(&path, "is encrypted; zip it without a password"));
                }
                if !matches!(
                    entry.compression(),
                    zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
                ) {
                    return Err(bad(
                        &path,
                        "uses a compression method Lore does not read; zip it with the usual \"deflate\"",
                    ));
                }
                if folder.files.contains_key(&path) {
                    return Err(bad(&path, "appears twice in the zip"));
                }
                (path, entry.compressed_size())
            };
            let mut entry = archive.by_index(i).map_err(|e| bad(&path, e))?;
            let mut data = Vec::new();
            loop {
                let n = entry
                    .read(&mut buf)
                    .map_err(|e| bad(&path, format!("cannot be unpacked ({e})")))?;
                if n == 0 {
                    break;
                }
                total += n as u64;
                if total > limits.max_total_bytes {
                    return Err(too_large(limits));
                }
                let unpacked = (data.len() + n) as u64;
                if unpacked > limits.ratio_floor_bytes
                    && unpacked > packed.max(1).saturating_mul(limits.max_ratio)
                {
                    return Err(bad(
                        &path,
                        format!(
                            "unpacks to more than {} times its packed size, which is how zip bombs look; nothing was imported",
                            limits.max_ratio
                        ),
                    ));
                }
                data.extend_from_slice(&buf[..n]);
            }
            folder.files.insert(path, data);
        }
        Ok(folder.unwrap_single_folder())
    }

    /// The folder as a zip: deflated, in path order, with fixed dates, so the same folder
    /// always gives the same bytes.
    pub fn to_zip(&self) -> AppResult<Vec<u8>> {
        let internal = |e: zip::result::ZipError| AppError::Internal(format!("zip: {e}"));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::DEFAULT)
            .unix_permissions(0o644);
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (path, data) in &self.files {
            writer
                .start_file(path.as_str(), options)
                .map_err(internal)?;
            writer
                .write_all(data)
                .map_err(|e| AppError::Internal(format!("zip: {e}")))?;
        }
        Ok(writer.finish().map_err(internal)?.into_inner())
    }
}

fn too_many_files(limits: &ArchiveLimits) -> AppError {
    AppError::invalid(
        "file",
        format!(
            "The course has more than {} files; nothing was imported.",
            limits.max_entries
        ),
    )
}

fn too_large(limits: &ArchiveLimits) -> AppError {
    AppError::invalid(
        "file",
        format!(
            "The course unpacks to more than {} MB; nothing was imported.",
            limits.max_total_bytes / 1024 / 1024
        ),
    )
}

// ---------------------------------------------------------------------------------------
// The files of the format.

/// `course.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseManifest {
    format: i64,
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    estimated_minutes: Option<i64>,
    /// The owning group's path, `Acme/Engineering`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    /// Paths of the other groups that see the course in their catalogue.
    #[serde(default)]
    audiences: Vec<String>,
    #[serde(default)]
    change_note: String,
    /// A path in the folder, `assets/<hash>.png`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cover: Option<String>,
    /// The names files had when they were uploaded, by their path in the folder, where that
    /// differs from the path's own file name (learners download a file under this name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    file_names: BTreeMap<String, String>,
}

/// The front matter of a step file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFront {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    title: String,
    #[serde(default = "text_kind")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    order: Option<i64>,
    #[serde(default = "yes")]
    required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    video_url: Option<String>,
    /// A path in the folder, `assets/<hash>.pdf`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
}

fn text_kind() -> String {
    "text".to_owned()
}

fn yes() -> bool {
    true
}

/// A file-name-safe form of a title: `why-we-review`, at most 40 characters, `step` if
/// nothing is left.
fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "step".to_owned()
    } else {
        slug.to_owned()
    }
}

/// `steps/03-why-we-review.md` for the third of up to 99 steps.
fn step_file_name(position: usize, count: usize, title: &str) -> String {
    let width = count.to_string().len().max(2);
    format!("{STEPS_DIR}{position:0width$}-{}.md", slug(title))
}

/// A step file: TOML front matter between `+++` lines, a blank line, the Markdown.
fn step_file(front: &StepFront, body: &str) -> AppResult<String> {
    let toml = toml::to_string(front).map_err(|e| AppError::Internal(format!("toml: {e}")))?;
    let mut out = format!("+++\n{toml}+++\n");
    if !body.is_empty() {
        out.push('\n');
        out.push_str(body);
        out.push('\n');
    }
    Ok(out)
}

/// Split a step file into its front matter (and whether it is TOML) and its body.
/// The front matter starts on line 2 of the file.
fn split_front_matter(text: &str) -> Result<(bool, &str, &str), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (first, rest) = match text.find('\n') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    let fence = match first.trim_end() {
        "+++" => "+++",
        "---" => "---",
        _ => {
            return Err(
                "starts without front matter: begin the file with a +++ line, then at least title = \"…\", then a +++ line"
                    .to_owned(),
            );
        }
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
            return Ok((
                fence == "+++",
                &rest[..offset],
                &rest[offset + line.len()..],
            ));
        }
        offset += line.len();
    }
    Err(format!("the front matter has no closing {fence} line"))
}

/// Front matter in the simple YAML many Markdown tools write: one `key: value` a line,
/// values quoted or bare, `true`/`false`, whole numbers. Nothing nested.
fn simple_yaml(front: &str) -> Result<toml::Table, String> {
    let mut table = toml::Table::new();
    for (i, line) in front.lines().enumerate() {
        let at = i + 2;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            return Err(format!(
                "line {at}: nested values are not read; write key: value on one line"
            ));
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            return Err(format!("line {at}: expected key: value"));
        };
        let key = key.trim();
        let mut value = value.trim();
        let parsed =
            if value.starts_with('"') {
                toml::Value::String(serde_json::from_str::<String>(value).map_err(|_| {
                    format!("line {at}: the quoted value of {key} does not end well")
                })?)
            } else if let Some(inner) = value.strip_prefix('\'') {
                let inner = inner.strip_suffix('\'').ok_or_else(|| {
                    format!("line {at}: the quoted value of {key} does not end well")
                })?;
                toml::Value::String(inner.replace("''", "'"))
            } else {
                if let Some(cut) = value.find(" #") {
                    value = value[..cut].trim_end();
                }
                match value {
                    "" => return Err(format!("line {at}: {key} has no value")),
                    "true" => toml::Value::Boolean(true),
                    "false" => toml::Value::Boolean(false),
                    v if v.starts_with(['[', '{', '|', '>', '&', '*']) => {
                        return Err(format!(
                            "line {at}: lists and blocks are not read; give {key} one value"
                        ));
                    }
                    v => match v.parse::<i64>() {
                        Ok(n) => toml::Value::Integer(n),
                        Err(_) => toml::Value::String(v.to_owned()),
                    },
                }
            };
        if table.insert(key.to_owned(), parsed).is_some() {
            return Err(format!("line {at}: {key} is given twice"));
        }
    }
    Ok(table)
}

fn toml_error(e: &toml::de::Error, text: &str, first_line: usize) -> String {
    let message = e.message().trim_end_matches('\n');
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + first_line;
            format!("line {line}: {message}")
        }
        None => message.to_owned(),
    }
}

fn utf8<'a>(path: &str, data: &'a [u8]) -> AppResult<&'a str> {
    if data.len() > MAX_TEXT_BYTES {
        return Err(bad(path, "is larger than 1 MB; is it really text?"));
    }
    std::str::from_utf8(data).map_err(|_| bad(path, "is not UTF-8 text"))
}

/// A path written in `course.toml` or front matter (`file = "assets/x.pdf"`): it must name a
/// file of the folder.
fn referenced(folder: &CourseFolder, from: &str, field: &str, raw: &str) -> AppResult<String> {
    let path = clean_path(raw)
        .map_err(|reason| bad(from, format!("{field} = {raw:?} {reason}")))?
        .ok_or_else(|| bad(from, format!("{field} = {raw:?} does not name a file")))?;
    if folder.get(&path).is_none() {
        return Err(bad(
            from,
            format!(
                "{field} = {raw:?}, but the folder has no such file (paths start at the course folder, like assets/x.pdf)"
            ),
        ));
    }
    Ok(path)
}

/// A course folder read and checked, before anything is created.
#[derive(Debug, Clone)]
struct ParsedCourse {
    meta: VersionMeta,
    group: Option<String>,
    audiences: Vec<String>,
    change_note: ChangeNote,
    cover: Option<String>,
    /// Upload names by (clean) path in the folder.
    file_names: BTreeMap<String, String>,
    steps: Vec<ParsedStep>,
}

#[derive(Debug, Clone)]
struct ParsedStep {
    path: String,
    fields: StepFields,
    file: Option<String>,
}

fn parse_manifest(folder: &CourseFolder) -> AppResult<CourseManifest> {
    let data = folder.get(COURSE_FILE).ok_or_else(|| {
        bad(
            COURSE_FILE,
            "is missing; a course folder has course.toml at the top (format = 1, title = \"…\") and its steps in steps/",
        )
    })?;
    let text = utf8(COURSE_FILE, data)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let probe: toml::Table =
        toml::from_str(text).map_err(|e| bad(COURSE_FILE, toml_error(&e, text, 1)))?;
    match probe.get("format").and_then(toml::Value::as_integer) {
        Some(FORMAT) => {}
        Some(n) => {
            return Err(bad(
                COURSE_FILE,
                format!("format = {n}, but this Lore reads format = {FORMAT}"),
            ));
        }
        None => {
            return Err(bad(
                COURSE_FILE,
                format!("add format = {FORMAT} at the top"),
            ));
        }
    }
    toml::from_str(text).map_err(|e| bad(COURSE_FILE, toml_error(&e, text, 1)))
}

fn parse_step(path: &str, data: &[u8]) -> AppResult<(StepFront, String)> {
    let text = utf8(path, data)?;
    let (is_toml, front, body) = split_front_matter(text).map_err(|reason| bad(path, reason))?;
    let front: StepFront = if is_toml {
        toml::from_str(front).map_err(|e| bad(path, toml_error(&e, front, 2)))?
    } else {
        toml::Value::Table(simple_yaml(front).map_err(|reason| bad(path, reason))?)
            .try_into()
            .map_err(|e: toml::de::Error| bad(path, e.message().trim_end()))?
    };
    Ok((front, body.to_owned()))
}

/// Read and check every file of a course folder; no database needed.
fn parse_folder(folder: &CourseFolder) -> AppResult<ParsedCourse> {
    let manifest = parse_manifest(folder)?;
    let in_course = |e: AppError| match e {
        AppError::Invalid(i) => bad(COURSE_FILE, i.message),
        other => other,
    };
    let title = CourseTitle::parse(&manifest.title).map_err(|e| in_course(e.into()))?;
    let summary = CourseSummary::parse(&manifest.summary).map_err(|e| in_course(e.into()))?;
    let language = if manifest.language.trim().is_empty() {
        Language::default()
    } else {
        Language::parse(&manifest.language).map_err(|e| in_course(e.into()))?
    };
    let tags = Tags::from_list(manifest.tags.iter().map(String::as_str))
        .map_err(|e| in_course(e.into()))?;
    let minutes = match manifest.estimated_minutes {
        Some(n) => Minutes::parse(&n.to_string()).map_err(|e| in_course(e.into()))?,
        None => None,
    };
    let change_note = ChangeNote::parse(&manifest.change_note).map_err(|e| in_course(e.into()))?;
    let cover = match &manifest.cover {
        Some(raw) => Some(referenced(folder, COURSE_FILE, "cover", raw)?),
        None => None,
    };
    let mut file_names = BTreeMap::new();
    for (raw, name) in &manifest.file_names {
        let path = referenced(folder, COURSE_FILE, "file_names", raw)?;
        if name.trim().is_empty() || name.chars().any(char::is_control) {
            return Err(bad(
                COURSE_FILE,
                format!("file_names: the name of {raw:?} must be a plain file name"),
            ));
        }
        file_names.insert(path, name.clone());
    }

    // Each step file on its own first, so that its problems are named before cross-file ones.
    let mut fronts: Vec<(StepFront, ParsedStep)> = Vec::new();
    for (path, data) in folder.files() {
        let Some(name) = path.strip_prefix(STEPS_DIR) else {
            continue;
        };
        if name.contains('/') {
            return Err(bad(
                path,
                "step files go directly in steps/, not in folders below it",
            ));
        }
        if !name.ends_with(".md") {
            return Err(bad(
                path,
                "only Markdown step files (.md) belong in steps/; put other files in assets/",
            ));
        }
        let (front, body) = parse_step(path, data)?;
        StepKind::parse(&front.kind).map_err(|e| bad(path, e.message))?;
        let fields = step_fields(
            String::new(),
            &StepInput {
                kind: &front.kind,
                title: &front.title,
                body: &body,
                video_url: front.video_url.as_deref().unwrap_or(""),
                blob_hash: None,
                required: front.required,
            },
        )
        .map_err(|e| match e {
            AppError::Invalid(i) => bad(path, i.message),
            other => other,
        })?;
        let file = match &front.file {
            Some(raw) => Some(referenced(folder, path, "file", raw)?),
            None => None,
        };
        let step = ParsedStep {
            path: path.to_owned(),
            fields,
            file,
        };
        fronts.push((front, step));
    }
    if fronts.is_empty() {
        return Err(bad(
            STEPS_DIR,
            "has no steps; a course needs at least one, like steps/01-introduction.md",
        ));
    }
    if fronts.len() > MAX_STEPS {
        return Err(bad(
            STEPS_DIR,
            format!(
                "has {} steps; a course has at most {MAX_STEPS}",
                fronts.len()
            ),
        ));
    }
    // Either every step says its order, or none does and the file names decide.
    if fronts.iter().any(|(f, _)| f.order.is_some())
        && let Some((_, s)) = fronts.iter().find(|(f, _)| f.order.is_none())
    {
        return Err(bad(
            &s.path,
            "has no order while other steps do; give every step an order, or none (then file names decide)",
        ));
    }
    fronts.sort_by_key(|(f, _)| f.order);
    for pair in fronts.windows(2) {
        if pair[0].0.order.is_some() && pair[0].0.order == pair[1].0.order {
            return Err(bad(
                &pair[1].1.path,
                format!("has the same order as {}", pair[0].1.path),
            ));
        }
    }
    let mut seen_keys: HashMap<String, String> = HashMap::new();
    let mut steps = Vec::with_capacity(fronts.len());
    for (front, mut step) in fronts {
        step.fields.step_key = match &front.key {
            Some(raw) => {
                let key = StepKey::parse(raw).map_err(|e| bad(&step.path, e.message))?;
                if let Some(other) = seen_keys.insert(key.as_str().to_owned(), step.path.clone()) {
                    return Err(bad(&step.path, format!("has the same key as {other}")));
                }
                key.as_str().to_owned()
            }
            None => new_step_key(),
        };
        steps.push(step);
    }

    Ok(ParsedCourse {
        meta: VersionMeta {
            title: title.as_str().to_owned(),
            summary: summary.as_str().to_owned(),
            language: language.as_str().to_owned(),
            tags: tags_json(&tags),
            estimated_minutes: minutes.map(|m| m.get() as i32),
            cover_blob: None,
        },
        group: manifest.group.filter(|g| !g.trim().is_empty()),
        audiences: manifest.audiences,
        change_note,
        cover,
        file_names,
        steps,
    })
}

/// What a course folder says, read and checked as an import reads it, with nothing stored:
/// for callers that apply a folder to a draft they already have (the demo's later versions).
#[derive(Debug, Clone)]
pub struct FolderContent {
    /// The course fields; no cover (files are not stored here).
    pub meta: VersionMeta,
    pub change_note: String,
    /// In order, with the keys the files give (a new key where one gives none); without the
    /// files that step files name.
    pub steps: Vec<StepFields>,
}

impl CourseFolder {
    /// Read and check the folder as [`App::import_course_with`] would, without importing it.
    pub fn content(&self) -> AppResult<FolderContent> {
        let parsed = parse_folder(self)?;
        Ok(FolderContent {
            meta: parsed.meta,
            change_note: parsed.change_note.as_str().to_owned(),
            steps: parsed.steps.into_iter().map(|s| s.fields).collect(),
        })
    }
}

/// What publishing would refuse, checked before anything is created.
fn check_publishable(steps: &[ParsedStep]) -> AppResult<()> {
    for s in steps {
        if s.fields.kind == StepKind::File && s.file.is_none() {
            return Err(bad(
                &s.path,
                "is a file step without file = \"assets/…\"; add the file, or import with publishing off",
            ));
        }
        if s.fields.kind == StepKind::Video && s.file.is_none() && s.fields.video_url.is_none() {
            return Err(bad(
                &s.path,
                "is a video step without video_url or file; add one, or import with publishing off",
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Uploaded files.

/// The extension a stored file is exported with: the one its checked type implies (so that
/// importing it again is sniffed the same way), else the one it was uploaded with.
fn extension_for(content_type: &str, original_name: &str) -> String {
    let known = match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "video/mp4" => "mp4",
        "video/webm" => "webm",
        "video/ogg" => "ogv",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        "text/markdown" => "md",
        "text/csv" => "csv",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "pptx",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    match original_name.rsplit_once('.') {
        Some((_, ext))
            if !ext.is_empty()
                && ext.len() <= 10
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            ext.to_ascii_lowercase()
        }
        _ => "bin".to_owned(),
    }
}

/// What a file of the folder is used for, which decides the types and size it may have.
fn purpose_for_step(kind: StepKind) -> BlobPurpose {
    match kind {
        StepKind::Video => BlobPurpose::Video,
        _ => BlobPurpose::Document,
    }
}

impl App {
    /// A stored file's bytes, its upload name and the extension it is exported with.
    async fn asset_for_export(
        &self,
        caller: &Caller,
        hash: &str,
    ) -> AppResult<(Vec<u8>, String, String)> {
        let missing = || {
            AppError::Conflict(format!(
                "This course refers to a file that is missing from storage ({hash}); replace it in the editor, then export again."
            ))
        };
        let row = match self.blob(caller, hash).await {
            Ok(row) => row,
            Err(AppError::NotFound(_)) => return Err(missing()),
            Err(e) => return Err(e),
        };
        let data = match self.read_blob_range(caller, hash, None).await? {
            BlobRead::Content(content) => content
                .collect()
                .await
                .map_err(|e| AppError::Internal(format!("blob {hash} cannot be read: {e}")))?,
            BlobRead::Unsatisfiable { .. } => return Err(missing()),
        };
        let ext = extension_for(&row.content_type, &row.original_name);
        Ok((data, row.original_name, ext))
    }

    /// Store one file of an imported folder through the same checks as an upload; returns
    /// its hash.
    async fn store_asset(
        &self,
        caller: &Caller,
        folder: &CourseFolder,
        file_names: &BTreeMap<String, String>,
        path: &str,
        purpose: BlobPurpose,
    ) -> AppResult<String> {
        let data = folder.get(path).unwrap_or_default();
        let name = file_names
            .get(path)
            .map(String::as_str)
            .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path));
        let stored = self
            .put_blob(caller, Bytes::copy_from_slice(data), "", name, purpose)
            .await
            .map_err(|e| match e {
                AppError::Invalid(i) => bad(path, i.message),
                other => other,
            })?;
        Ok(stored.hash)
    }
}

// ---------------------------------------------------------------------------------------
// Export and import.

impl App {
    /// A version of a course as a folder: the newest published one, or `version`; a course
    /// never published exports its draft. Only people who may edit the course may export it.
    pub async fn export_course(
        &self,
        caller: &Caller,
        course_id: i64,
        version: Option<i32>,
    ) -> AppResult<CourseFolder> {
        let ctx = self
            .course_for(caller, course_id, Action::EditCourse)
            .await?;
        let version: VersionRow = match version {
            Some(n) => self
                .store
                .version(course_id, n)
                .await?
                .ok_or(AppError::NotFound("That version"))?,
            None => match self.latest_version(&ctx).await? {
                Some(v) => v,
                None => self
                    .store
                    .versions_of(course_id)
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound("That course"))?,
            },
        };
        let steps = self.store.steps_of(version.id).await?;
        let tree = self.group_tree().await?;
        let mut audiences: Vec<String> = ctx
            .audiences
            .iter()
            .filter(|g| tree.get(GroupId(**g)).is_some())
            .map(|g| tree.path(GroupId(*g)))
            .collect();
        audiences.sort();

        // Each stored file once, as assets/<hash>.<ext>.
        let mut folder = CourseFolder::new();
        let mut assets: BTreeMap<String, String> = BTreeMap::new();
        let mut file_names: BTreeMap<String, String> = BTreeMap::new();
        let hashes = version
            .cover_blob
            .iter()
            .chain(steps.iter().filter_map(|s| s.blob_hash.as_ref()));
        for hash in hashes {
            if assets.contains_key(hash) {
                continue;
            }
            let (data, name, ext) = self.asset_for_export(caller, hash).await?;
            let path = format!("{ASSETS_DIR}{hash}.{ext}");
            if name != format!("{hash}.{ext}") {
                file_names.insert(path.clone(), name);
            }
            folder.insert(&path, data)?;
            assets.insert(hash.clone(), path);
        }
        let cover = version
            .cover_blob
            .as_ref()
            .and_then(|h| assets.get(h).cloned());
        let mut step_files = Vec::with_capacity(steps.len());
        for (i, s) in steps.iter().enumerate() {
            let file = s.blob_hash.as_ref().and_then(|h| assets.get(h).cloned());
            let front = StepFront {
                key: Some(s.step_key.clone()),
                title: s.title.clone(),
                kind: s.kind.as_str().to_owned(),
                order: Some(i as i64 + 1),
                required: s.required,
                video_url: s.video_url.clone(),
                file,
            };
            step_files.push((
                step_file_name(i + 1, steps.len(), &s.title),
                step_file(&front, &s.body)?,
            ));
        }
        let manifest = CourseManifest {
            format: FORMAT,
            title: version.title.clone(),
            summary: version.summary.clone(),
            language: version.language.clone(),
            tags: tags_of(&version),
            estimated_minutes: version.estimated_minutes.map(i64::from),
            group: tree
                .get(GroupId(ctx.course.group_id))
                .map(|_| tree.path(GroupId(ctx.course.group_id))),
            audiences,
            change_note: version.change_note.clone(),
            cover,
            file_names,
        };
        let manifest =
            toml::to_string(&manifest).map_err(|e| AppError::Internal(format!("toml: {e}")))?;
        folder.insert(COURSE_FILE, manifest.into_bytes())?;
        for (path, text) in step_files {
            folder.insert(&path, text.into_bytes())?;
        }
        Ok(folder)
    }

    /// [`App::export_course`] as a zip, with a file name to offer for it.
    pub async fn export_course_zip(
        &self,
        caller: &Caller,
        course_id: i64,
        version: Option<i32>,
    ) -> AppResult<(Vec<u8>, String)> {
        let folder = self.export_course(caller, course_id, version).await?;
        let title = folder
            .get(COURSE_FILE)
            .and_then(|t| std::str::from_utf8(t).ok())
            .and_then(|t| toml::from_str::<CourseManifest>(t).ok())
            .map(|m| m.title)
            .unwrap_or_default();
        let name = format!("course-{course_id}-{}.zip", slug(&title));
        let zip = tokio::task::spawn_blocking(move || folder.to_zip())
            .await
            .map_err(|e| AppError::Internal(format!("zip task failed: {e}")))??;
        Ok((zip, name))
    }

    /// [`App::import_course_with`] from the bytes of an uploaded zip.
    pub async fn import_course_zip(
        &self,
        caller: &Caller,
        zip: Bytes,
        options: ImportOptions,
    ) -> AppResult<i64> {
        // Unpacking hundreds of megabytes is blocking work.
        let folder = tokio::task::spawn_blocking(move || {
            CourseFolder::from_zip(&zip, &ArchiveLimits::default())
        })
        .await
        .map_err(|e| AppError::Internal(format!("unzip task failed: {e}")))??;
        self.import_course_with(caller, &folder, options).await
    }

    /// Import a folder as a new course owned by the caller, published unless `publish` is
    /// false. Every file is checked before anything is created; on any error nothing is.
    pub async fn import_course(
        &self,
        caller: &Caller,
        folder: &CourseFolder,
        publish: bool,
    ) -> AppResult<i64> {
        self.import_course_with(
            caller,
            folder,
            ImportOptions {
                publish,
                group_id: None,
            },
        )
        .await
    }

    pub async fn import_course_with(
        &self,
        caller: &Caller,
        folder: &CourseFolder,
        options: ImportOptions,
    ) -> AppResult<i64> {
        let parsed = parse_folder(folder)?;
        if options.publish {
            check_publishable(&parsed.steps)?;
        }

        let groups = self.authoring_groups(caller).await?;
        let tree = self.group_tree().await?;
        let group_id = match (options.group_id, &parsed.group) {
            (Some(id), _) => {
                if !groups.iter().any(|(g, _)| *g == id) {
                    return Err(AppError::invalid(
                        "group_id",
                        "You cannot write courses for that group.",
                    ));
                }
                id
            }
            (None, Some(path)) => {
                let id = tree.resolve(path).map_err(|reason| {
                    bad(
                        COURSE_FILE,
                        format!("group = {path:?}: {reason} Create that group, choose another one, or remove the group line to use your own."),
                    )
                })?;
                if !groups.iter().any(|(g, _)| *g == id.0) {
                    return Err(bad(
                        COURSE_FILE,
                        format!("group = {path:?}: you cannot write courses for that group; choose one of yours, or remove the group line."),
                    ));
                }
                id.0
            }
            (None, None) => groups.first().map(|(id, _)| *id).ok_or_else(|| {
                AppError::invalid("group_id", "You are not in a group where you may write courses yet. Ask an administrator to add you to your team's group.")
            })?,
        };
        let mut audiences = Vec::with_capacity(parsed.audiences.len());
        for path in &parsed.audiences {
            let id = tree.resolve(path).map_err(|reason| {
                bad(
                    COURSE_FILE,
                    format!("audiences: {path:?}: {reason} Create that group or remove it from the list."),
                )
            })?;
            audiences.push(id.0);
        }

        // Sizes are checked for every file before any is stored.
        let uses = parsed.cover.iter().map(|p| (p, BlobPurpose::Image)).chain(
            parsed.steps.iter().filter_map(|s| {
                s.file
                    .as_ref()
                    .map(|p| (p, purpose_for_step(s.fields.kind)))
            }),
        );
        let limits = self.blob_limits();
        for (path, purpose) in uses {
            let size = folder.get(path).map_or(0, <[u8]>::len) as u64;
            if size == 0 {
                return Err(bad(path, "is empty"));
            }
            let limit = limits.for_purpose(purpose);
            if size > limit {
                return Err(bad(
                    path,
                    crate::blobs::too_large(purpose, limit, Some(size)),
                ));
            }
        }

        // Files go in first, outside the unit of work (hashing and writing them is slow work
        // that must not hold the write lock). They are content-addressed, so one stored twice
        // is stored once, and an import that fails after this leaves at most blobs nothing
        // refers to: harmless, and the same as an upload whose form was never saved.
        let names = &parsed.file_names;
        let mut meta = parsed.meta;
        if let Some(path) = &parsed.cover {
            meta.cover_blob = Some(
                self.store_asset(caller, folder, names, path, BlobPurpose::Image)
                    .await?,
            );
        }
        let mut steps = Vec::with_capacity(parsed.steps.len());
        for s in parsed.steps {
            let mut fields = s.fields;
            if let Some(path) = &s.file {
                let purpose = purpose_for_step(fields.kind);
                fields.blob_hash = Some(
                    self.store_asset(caller, folder, names, path, purpose)
                        .await?,
                );
            }
            steps.push(fields);
        }

        // The course, its audience and its publication commit together, or none of it does.
        let change_note = parsed.change_note;
        let course_id = self
            .unit_of_work(|app| async move {
                let app = &app;
                let (course, _) = app
                    .store
                    .create_course(caller.id.0, group_id, meta, steps, app.now())
                    .await?;
                if !audiences.is_empty() {
                    app.set_audiences(caller, course.id, &audiences).await?;
                }
                if options.publish {
                    // Where the group requires review, the import waits for it like any draft.
                    let ctx = app.course_context(course.id).await?;
                    if app.review_required_for(&ctx).await? {
                        app.store
                            .set_draft_change_note(course.id, change_note.as_str())
                            .await?;
                        app.submit_for_review(caller, course.id).await?;
                    } else {
                        app.publish(caller, course.id, change_note.as_str()).await?;
                    }
                }
                Ok(course.id)
            })
            .await?;
        tracing::info!(target: "lore::audit", user_id = caller.id.0, course_id, published = options.publish, "course imported");
        Ok(course_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, options).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn message(e: AppError) -> String {
        match e {
            AppError::Invalid(i) => i.message,
            other => panic!("expected an invalid-input error, got {other:?}"),
        }
    }

    const MANIFEST: &str = "format = 1\ntitle = \"Code review\"\nsummary = \"How we review.\"\nlanguage = \"en\"\ntags = [\"review\", \"git\"]\nestimated_minutes = 20\nchange_note = \"First\"\n";

    fn good_folder() -> CourseFolder {
        let mut f = CourseFolder::new();
        f.insert(COURSE_FILE, MANIFEST.as_bytes().to_vec()).unwrap();
        f.insert(
            "steps/01-why.md",
            b"+++\nkey = \"why\"\ntitle = \"Why review\"\norder = 1\n+++\n\nBecause **two** pairs of eyes.\n".to_vec(),
        )
        .unwrap();
        f.insert(
            "steps/02-how.md",
            b"---\nkey: how\ntitle: \"How: the steps\"\nkind: text\norder: 2\nrequired: false\n---\nRead the diff.\n".to_vec(),
        )
        .unwrap();
        f
    }

    #[test]
    fn a_folder_parses_into_course_fields_and_ordered_steps() {
        let parsed = parse_folder(&good_folder()).unwrap();
        assert_eq!(parsed.meta.title, "Code review");
        assert_eq!(parsed.meta.tags, r#"["review","git"]"#);
        assert_eq!(parsed.meta.estimated_minutes, Some(20));
        assert_eq!(parsed.change_note.as_str(), "First");
        let keys: Vec<&str> = parsed
            .steps
            .iter()
            .map(|s| s.fields.step_key.as_str())
            .collect();
        assert_eq!(keys, ["why", "how"]);
        assert_eq!(
            parsed.steps[0].fields.body,
            "Because **two** pairs of eyes."
        );
        assert_eq!(parsed.steps[1].fields.title, "How: the steps");
        assert!(parsed.steps[0].fields.required && !parsed.steps[1].fields.required);
    }

    #[test]
    fn order_decides_over_file_names_and_no_order_means_file_names() {
        let mut f = CourseFolder::new();
        f.insert(COURSE_FILE, MANIFEST.as_bytes().to_vec()).unwrap();
        f.insert(
            "steps/a.md",
            b"+++\ntitle = \"A\"\norder = 2\n+++\n".to_vec(),
        )
        .unwrap();
        f.insert(
            "steps/b.md",
            b"+++\ntitle = \"B\"\norder = 1\n+++\n".to_vec(),
        )
        .unwrap();
        let titles: Vec<String> = parse_folder(&f)
            .unwrap()
            .steps
            .into_iter()
            .map(|s| s.fields.title)
            .collect();
        assert_eq!(titles, ["B", "A"]);

        let mut f = CourseFolder::new();
        f.insert(COURSE_FILE, MANIFEST.as_bytes().to_vec()).unwrap();
        f.insert("steps/2-b.md", b"+++\ntitle = \"B\"\n+++\n".to_vec())
            .unwrap();
        f.insert("steps/1-a.md", b"+++\ntitle = \"A\"\n+++\n".to_vec())
            .unwrap();
        let parsed = parse_folder(&f).unwrap();
        assert_eq!(parsed.steps[0].fields.title, "A");
        assert!(
            parsed.steps[0].fields.step_key.starts_with("s-"),
            "a key is made up"
        );
    }

    #[test]
    fn every_problem_names_its_file() {
        let cases: Vec<(&str, &str, &str)> = vec![
            (
                "steps/03-x.md",
                "+++\ntitle = \"X\"\nkind = \"quiz\"\n+++\n",
                "steps/03-x.md: Unknown step kind \"quiz\"",
            ),
            (
                "steps/03-x.md",
                "+++\ntitle = \"X\"\nkidn = \"text\"\n+++\n",
                "steps/03-x.md: line 3: unknown field `kidn`",
            ),
            (
                "steps/03-x.md",
                "# Just Markdown\n",
                "steps/03-x.md: starts without front matter",
            ),
            (
                "steps/03-x.md",
                "+++\ntitle = \"X\"\n",
                "steps/03-x.md: the front matter has no closing +++ line",
            ),
            (
                "steps/03-x.md",
                "+++\ntitle = \"X\"\nkey = \"why\"\norder = 3\n+++\n",
                "steps/03-x.md: has the same key as steps/01-why.md",
            ),
            (
                "steps/03-x.md",
                "+++\ntitle = \"X\"\n+++\n",
                "steps/03-x.md: has no order while other steps do",
            ),
            (
                "steps/03-x.md",
                "+++\ntitle = \"X\"\nkind = \"video\"\norder = 3\nvideo_url = \"ftp://x\"\n+++\n",
                "steps/03-x.md: A video link starts with https://",
            ),
            (
                "steps/03-x.md",
                "+++\ntitle = \"X\"\norder = 3\nfile = \"assets/missing.pdf\"\n+++\n",
                "steps/03-x.md: file = \"assets/missing.pdf\", but the folder has no such file",
            ),
            (
                "steps/03-x.md",
                "+++\ntitle = \"X\"\norder = 3\nfile = \"../../etc/passwd\"\n+++\n",
                "goes up a folder",
            ),
            (
                "steps/03-x.md",
                "---\ntitle: X\n  nested: y\n---\n",
                "steps/03-x.md: line 3: nested values are not read",
            ),
            (
                "steps/notes.txt",
                "hello",
                "steps/notes.txt: only Markdown step files",
            ),
        ];
        for (path, text, expected) in cases {
            let mut f = good_folder();
            f.insert(path, text.as_bytes().to_vec()).unwrap();
            let got = message(parse_folder(&f).unwrap_err());
            assert!(
                got.contains(expected),
                "{path}: expected {expected:?}, got {got:?}"
            );
        }
    }

    #[test]
    fn course_toml_problems_are_reported_against_it() {
        let cases = [
            (
                "format = 2\ntitle = \"X\"\n",
                "course.toml: format = 2, but this Lore reads format = 1",
            ),
            ("title = \"X\"\n", "course.toml: add format = 1"),
            ("format = 1\ntitle = \"\"\n", "course.toml: Enter a title."),
            (
                "format = 1\ntitle = \"X\"\nlanguage = \"english!\"\n",
                "course.toml: Use a language code",
            ),
            (
                "format = 1\ntitle = \"X\"\nestimated_minutes = 0\n",
                "course.toml: Give the estimated time",
            ),
            (
                "format = 1\ntitle = \"X\"\ncolour = \"red\"\n",
                "course.toml: line 3: unknown field `colour`",
            ),
            (
                "format = 1\ntitle = \"X\"\ncover = \"assets/none.png\"\n",
                "course.toml: cover = \"assets/none.png\", but the folder has no such file",
            ),
            ("format = 1\ntitle = [1\n", "course.toml: line 2:"),
        ];
        for (text, expected) in cases {
            let mut f = good_folder();
            f.files
                .insert(COURSE_FILE.to_owned(), text.as_bytes().to_vec());
            let got = message(parse_folder(&f).unwrap_err());
            assert!(
                got.starts_with(expected),
                "expected {expected:?}, got {got:?}"
            );
        }
    }

    #[test]
    fn a_folder_without_course_toml_or_steps_is_refused() {
        let mut f = good_folder();
        f.files.remove(COURSE_FILE);
        assert!(message(parse_folder(&f).unwrap_err()).starts_with("course.toml: is missing"));

        let mut f = CourseFolder::new();
        f.insert(COURSE_FILE, MANIFEST.as_bytes().to_vec()).unwrap();
        assert!(message(parse_folder(&f).unwrap_err()).starts_with("steps/: has no steps"));
    }

    #[test]
    fn publishing_needs_files_and_links_where_the_kind_does() {
        let mut f = good_folder();
        f.insert(
            "steps/03-doc.md",
            b"+++\ntitle = \"Doc\"\nkind = \"file\"\norder = 3\n+++\n".to_vec(),
        )
        .unwrap();
        let parsed = parse_folder(&f).unwrap();
        let got = message(check_publishable(&parsed.steps).unwrap_err());
        assert!(
            got.starts_with("steps/03-doc.md: is a file step without file"),
            "{got}"
        );
    }

    #[test]
    fn a_zip_entry_going_up_a_folder_is_refused() {
        let zip = zip_of(&[
            (COURSE_FILE, MANIFEST.as_bytes()),
            ("steps/../../evil.md", b"x"),
        ]);
        let got = message(CourseFolder::from_zip(&zip, &ArchiveLimits::default()).unwrap_err());
        assert!(got.contains("goes up a folder"), "{got}");
        let zip = zip_of(&[("../evil", b"x")]);
        let got = message(CourseFolder::from_zip(&zip, &ArchiveLimits::default()).unwrap_err());
        assert!(got.starts_with("\"../evil\": goes up a folder"), "{got}");
    }

    #[test]
    fn absolute_drive_and_backslash_paths_are_refused() {
        for (name, expected) in [
            ("/etc/passwd", "is an absolute path"),
            ("C:/Windows/evil.md", "':'"),
            ("steps\\..\\..\\evil.md", "backslash"),
        ] {
            let zip = zip_of(&[(name, b"x")]);
            let got = message(CourseFolder::from_zip(&zip, &ArchiveLimits::default()).unwrap_err());
            assert!(got.contains(expected), "{name}: {got}");
        }
    }

    #[test]
    fn a_symlink_entry_is_refused() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.add_symlink(
            "steps/01-link.md",
            "/etc/passwd",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        let zip = w.finish().unwrap().into_inner();
        let got = message(CourseFolder::from_zip(&zip, &ArchiveLimits::default()).unwrap_err());
        assert!(got.contains("symbolic link"), "{got}");
    }

    #[test]
    fn a_zip_bomb_is_refused_by_what_it_unpacks_to() {
        let zeros = vec![0u8; 50 * 1024 * 1024];
        let zip = zip_of(&[
            (COURSE_FILE, MANIFEST.as_bytes()),
            ("assets/zeros.bin", &zeros),
        ]);
        assert!(zip.len() < 1024 * 1024, "the bomb is small: {}", zip.len());
        let got = message(CourseFolder::from_zip(&zip, &ArchiveLimits::default()).unwrap_err());
        assert!(
            got.starts_with("assets/zeros.bin: unpacks to more than 200 times"),
            "{got}"
        );
    }

    #[test]
    fn entry_count_and_total_size_are_capped() {
        let limits = ArchiveLimits {
            max_entries: 2,
            ..ArchiveLimits::default()
        };
        let zip = zip_of(&[("a", b"1"), ("b", b"2"), ("c", b"3")]);
        let got = message(CourseFolder::from_zip(&zip, &limits).unwrap_err());
        assert!(got.contains("more than 2 files"), "{got}");

        let limits = ArchiveLimits {
            max_total_bytes: 1000,
            ..ArchiveLimits::default()
        };
        let zip = zip_of(&[("a", &[7u8; 600]), ("b", &[8u8; 600])]);
        let got = message(CourseFolder::from_zip(&zip, &limits).unwrap_err());
        assert!(got.contains("unpacks to more than 0 MB"), "{got}");
    }

    #[test]
    fn garbage_is_not_a_zip() {
        let got = message(
            CourseFolder::from_zip(b"PK not really", &ArchiveLimits::default()).unwrap_err(),
        );
        assert!(got.starts_with("This is not a zip file"), "{got}");
    }

    #[test]
    fn zips_round_trip_byte_for_byte_and_skip_hidden_entries() {
        let folder = good_folder();
        let zip = folder.to_zip().unwrap();
        assert_eq!(
            zip,
            folder.to_zip().unwrap(),
            "the same folder zips to the same bytes"
        );
        assert_eq!(
            CourseFolder::from_zip(&zip, &ArchiveLimits::default()).unwrap(),
            folder
        );

        let wrapped = zip_of(&[
            ("my-course/course.toml", MANIFEST.as_bytes()),
            ("my-course/steps/01-a.md", b"+++\ntitle = \"A\"\n+++\n"),
            ("my-course/.git/config", b"x"),
            ("__MACOSX/my-course/._course.toml", b"x"),
        ]);
        let folder = CourseFolder::from_zip(&wrapped, &ArchiveLimits::default()).unwrap();
        let paths: Vec<&str> = folder.files().map(|(p, _)| p).collect();
        assert_eq!(paths, ["course.toml", "steps/01-a.md"]);
    }

    #[test]
    fn folders_on_disk_round_trip_and_refuse_links_and_non_empty_targets() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let folder = good_folder();
        folder.write_to_dir(&out).unwrap();
        std::fs::create_dir(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref").unwrap();
        assert_eq!(CourseFolder::from_dir(&out).unwrap(), folder);

        let got = message(folder.write_to_dir(&out).unwrap_err());
        assert!(got.contains("is not empty"), "{got}");

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc/passwd", out.join("steps/09-link.md")).unwrap();
            let got = message(CourseFolder::from_dir(&out).unwrap_err());
            assert!(
                got.starts_with("steps/09-link.md: is a symbolic link"),
                "{got}"
            );
        }
    }

    #[test]
    fn step_files_are_named_by_position_and_title() {
        assert_eq!(
            step_file_name(3, 9, "Why we review — code!"),
            "steps/03-why-we-review-code.md"
        );
        assert_eq!(step_file_name(7, 120, "¿Qué?"), "steps/007-qu.md");
        assert_eq!(step_file_name(1, 1, "!!!"), "steps/01-step.md");
    }

    #[test]
    fn written_step_files_read_back_the_same() {
        let front = StepFront {
            key: Some("s-1".to_owned()),
            title: "Say \"hi\"".to_owned(),
            kind: "video".to_owned(),
            order: Some(1),
            required: false,
            video_url: Some("https://example.com/v".to_owned()),
            file: None,
        };
        let body = "Line one\r\n\n+++\nnot a fence any more";
        let text = step_file(&front, body).unwrap();
        let mut f = CourseFolder::new();
        f.insert(COURSE_FILE, MANIFEST.as_bytes().to_vec()).unwrap();
        f.insert("steps/01-x.md", text.into_bytes()).unwrap();
        let parsed = parse_folder(&f).unwrap();
        let s = &parsed.steps[0].fields;
        assert_eq!((s.title.as_str(), s.body.as_str()), ("Say \"hi\"", body));
        assert_eq!(s.video_url.as_deref(), Some("https://example.com/v"));
        assert!(!s.required);
    }
}
