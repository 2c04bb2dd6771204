//! Blobs: the images, videos and documents of course steps, kept in a content-addressed
//! store behind `object_store` (a local folder by default) and recorded in the `blobs` table.
//!
//! An upload is checked before anything is written: its size against the limit of its
//! purpose, its real type sniffed from the bytes against the types that purpose allows and
//! against the type the client declared. A refused upload changes nothing. Blobs are named by
//! the SHA-256 of their content, so the same file uploaded twice is stored once, and a blob
//! is only ever looked up by a validated hash: no path is built from anything else a client
//! sends, so nothing outside the store can be read.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt};
use object_store::local::LocalFileSystem;
use object_store::{
    GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload,
};
use sha2::{Digest, Sha256};

use crate::{App, AppError, AppResult, Caller};

pub use lore_store::BlobRow;

const MIB: u64 = 1024 * 1024;

/// The most any blob may weigh, whatever the settings say. The web layer refuses larger
/// request bodies before reading them, so configured limits may only be lower.
pub const MAX_BLOB_BYTES: u64 = 500 * MIB;

/// The largest file accepted per purpose, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobLimits {
    pub image: u64,
    pub video: u64,
    pub document: u64,
}

impl Default for BlobLimits {
    fn default() -> Self {
        Self {
            image: 10 * MIB,
            video: 500 * MIB,
            document: 50 * MIB,
        }
    }
}

impl BlobLimits {
    pub fn for_purpose(&self, purpose: BlobPurpose) -> u64 {
        match purpose {
            BlobPurpose::Image => self.image,
            BlobPurpose::Video => self.video,
            BlobPurpose::Document => self.document,
        }
    }

    /// The largest of the three limits: what an upload of unknown purpose may weigh.
    pub fn largest(&self) -> u64 {
        self.image.max(self.video).max(self.document)
    }

    /// Every limit must be at least one byte and at most [`MAX_BLOB_BYTES`].
    pub fn check(&self) -> AppResult<()> {
        for (name, value) in [
            ("image", self.image),
            ("video", self.video),
            ("document", self.document),
        ] {
            if value == 0 || value > MAX_BLOB_BYTES {
                return Err(AppError::invalid(
                    "limits",
                    format!(
                        "The {name} size limit must be between 1 byte and {}; it is {}.",
                        human_size(MAX_BLOB_BYTES),
                        human_size(value)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// What an upload is for; each purpose allows its own types and has its own size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobPurpose {
    Image,
    Video,
    Document,
}

impl BlobPurpose {
    /// `image`, `video` or `document`.
    pub fn parse(raw: &str) -> AppResult<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "image" => Ok(Self::Image),
            "video" => Ok(Self::Video),
            "document" => Ok(Self::Document),
            _ => Err(AppError::invalid(
                "purpose",
                "Say what the file is for: image, video or document.",
            )),
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Self::Image => "Images",
            Self::Video => "Videos",
            Self::Document => "Documents",
        }
    }

    /// The canonical content types this purpose accepts.
    pub(crate) fn allows(self, content_type: &str) -> bool {
        let allowed: &[&str] = match self {
            Self::Image => &[PNG, JPEG, GIF, WEBP],
            Self::Video => &[MP4, WEBM, OGG_VIDEO],
            Self::Document => &[PDF, TEXT, MARKDOWN, CSV, DOCX, XLSX, PPTX],
        };
        allowed.contains(&content_type)
    }

    fn what_is_allowed(self) -> &'static str {
        match self {
            Self::Image => "a PNG, JPEG, GIF or WebP image",
            Self::Video => "an MP4, WebM or Ogg video",
            Self::Document => {
                "a PDF, a text, Markdown or CSV file, or a Word, Excel or PowerPoint document"
            }
        }
    }
}

/// A stored blob, as an upload answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobRef {
    /// SHA-256 of the content, 64 lowercase hex digits.
    pub hash: String,
    pub size: u64,
    /// The type sniffed from the content (not the one the client declared).
    pub content_type: String,
    /// The file name as uploaded, without any folder part.
    pub name: String,
}

impl From<BlobRow> for BlobRef {
    fn from(row: BlobRow) -> Self {
        Self {
            size: u64::try_from(row.size).unwrap_or(0),
            hash: row.hash,
            content_type: row.content_type,
            name: row.original_name,
        }
    }
}

/// A byte range as HTTP `Range: bytes=…` asks for it (single range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// `bytes=a-b`: from `a` to `b`, both included.
    Between(u64, u64),
    /// `bytes=a-`: from `a` to the end.
    From(u64),
    /// `bytes=-n`: the last `n` bytes.
    Last(u64),
}

impl ByteRange {
    /// The half-open range of a `total`-byte blob this asks for; `None` when it cannot be
    /// satisfied (it starts past the end, or asks for nothing).
    pub fn resolve(self, total: u64) -> Option<Range<u64>> {
        match self {
            Self::Between(start, end) if start <= end && start < total => {
                Some(start..end.saturating_add(1).min(total))
            }
            Self::From(start) if start < total => Some(start..total),
            Self::Last(n) if n > 0 && total > 0 => Some(total.saturating_sub(n)..total),
            _ => None,
        }
    }
}

/// Bytes of a blob on their way out, read from the store as they are sent.
pub struct BlobContent {
    /// The blob's row: size, type and name.
    pub blob: BlobRow,
    /// Which bytes `stream` yields (half-open).
    pub range: Range<u64>,
    /// True when a range was asked for (answer 206), false for the whole blob.
    pub partial: bool,
    pub stream: BoxStream<'static, std::io::Result<Bytes>>,
}

impl BlobContent {
    /// The size of the whole blob.
    pub fn total(&self) -> u64 {
        u64::try_from(self.blob.size).unwrap_or(0)
    }

    /// Read everything into memory (tests and small files).
    pub async fn collect(mut self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(chunk) = self.stream.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }
}

/// The answer to a read: the bytes, or "that range is not in this blob" (HTTP 416).
pub enum BlobRead {
    Content(BlobContent),
    Unsatisfiable { blob: BlobRow },
}

/// Where blob bytes live; cheap to clone.
#[derive(Clone)]
pub(crate) struct BlobStore {
    objects: Arc<dyn ObjectStore>,
}

impl BlobStore {
    /// A store in the folder `dir`, created if missing.
    pub(crate) fn open(dir: &Path) -> AppResult<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            AppError::Internal(format!(
                "cannot create the blob folder {}: {e}",
                dir.display()
            ))
        })?;
        let local = LocalFileSystem::new_with_prefix(dir).map_err(|e| {
            AppError::Internal(format!(
                "cannot open the blob folder {}: {e}",
                dir.display()
            ))
        })?;
        Ok(Self {
            objects: Arc::new(local),
        })
    }
}

/// Is `s` a blob hash: exactly 64 lowercase hex digits? Nothing else ever names a blob.
pub fn is_blob_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `ab/cd/abcd…`: two levels of folders keep any one folder small.
fn object_path(hash: &str) -> object_store::path::Path {
    object_store::path::Path::from(format!("{}/{}/{hash}", &hash[0..2], &hash[2..4]))
}

impl App {
    /// The size limits in force.
    pub fn blob_limits(&self) -> BlobLimits {
        self.settings.limits
    }

    /// Store an uploaded file. Its real type is sniffed from the bytes and must be one the
    /// purpose allows and agree with `declared_content_type` (empty or
    /// `application/octet-stream` declare nothing). Nothing is written unless every check
    /// passes. Uploading bytes already stored returns the existing blob.
    pub async fn put_blob(
        &self,
        caller: &Caller,
        data: Bytes,
        declared_content_type: &str,
        original_name: &str,
        purpose: BlobPurpose,
    ) -> AppResult<BlobRef> {
        self.put_blob_named(
            caller,
            data,
            declared_content_type,
            original_name,
            purpose,
            None,
        )
        .await
    }

    /// As [`App::put_blob`]; with a `salt` the blob's name is the digest of the salt and the
    /// bytes, not of the bytes alone, so it is never the name of a file stored for anyone
    /// else (a private file, e.g. an essay's, docs/decisions/0050).
    pub(crate) async fn put_blob_named(
        &self,
        caller: &Caller,
        data: Bytes,
        declared_content_type: &str,
        original_name: &str,
        purpose: BlobPurpose,
        salt: Option<String>,
    ) -> AppResult<BlobRef> {
        if !caller.actor.active {
            return Err(AppError::Forbidden);
        }
        let size = data.len() as u64;
        if size == 0 {
            return Err(AppError::invalid("file", "The file is empty."));
        }
        let limit = self.settings.limits.for_purpose(purpose);
        if size > limit {
            return Err(too_large(purpose, limit, Some(size)));
        }
        let name = clean_name(original_name);
        let declared = declared_content_type.to_owned();
        // Sniffing is cheap, hashing hundreds of megabytes is not: keep both off the
        // async workers.
        let (content_type, hash) = {
            let data = data.clone();
            let name = name.clone();
            tokio::task::spawn_blocking(move || {
                let content_type = check_type(purpose, &data, &name, &declared)?;
                let mut digest = Sha256::new();
                if let Some(salt) = salt {
                    digest.update(salt.as_bytes());
                    digest.update([0u8]);
                }
                digest.update(&data);
                Ok::<_, AppError>((content_type, hex::encode(digest.finalize())))
            })
            .await
            .map_err(|e| AppError::Internal(format!("blob check task failed: {e}")))??
        };
        self.write_object(&hash, data).await?;
        let (row, inserted) = self
            .store
            .insert_blob_if_absent(BlobRow {
                hash: hash.clone(),
                size: i64::try_from(size)
                    .map_err(|_| AppError::Internal("blob size overflows i64".to_owned()))?,
                content_type: content_type.to_owned(),
                original_name: name,
                created_at: self.now(),
            })
            .await?;
        tracing::info!(
            user_id = caller.id.0,
            hash = hash.as_str(),
            size,
            content_type,
            new = inserted,
            "blob stored"
        );
        Ok(BlobRef::from(row))
    }

    /// Write the bytes at their content address unless they are there already.
    async fn write_object(&self, hash: &str, data: Bytes) -> AppResult<()> {
        let path = object_path(hash);
        let size = data.len() as u64;
        let create = PutOptions {
            mode: PutMode::Create,
            ..PutOptions::default()
        };
        match self
            .blobs
            .objects
            .put_opts(&path, PutPayload::from_bytes(data.clone()), create)
            .await
        {
            Ok(_) => Ok(()),
            Err(object_store::Error::AlreadyExists { .. }) => {
                // Same name, same content, unless the file was damaged on disk: then
                // replace it (the local store writes a staging file and renames it).
                let meta = self.blobs.objects.head(&path).await.map_err(internal)?;
                if meta.size != size {
                    tracing::warn!(hash, "stored blob had the wrong size; rewriting it");
                    self.blobs
                        .objects
                        .put(&path, PutPayload::from_bytes(data))
                        .await
                        .map_err(internal)?;
                }
                Ok(())
            }
            Err(e) => Err(internal(e)),
        }
    }

    /// A blob's row. Any signed-in, active person may read any blob by its hash: hashes
    /// are 256-bit digests and only reach people through the pages that show the blob,
    /// so knowing one is the permission. A malformed hash is simply not found.
    /// A file attached to an essay answer is not served here (404): only by its answer's
    /// route, to the people who may see the answer ([`App::essay_file`]).
    pub async fn blob(&self, caller: &Caller, hash: &str) -> AppResult<BlobRow> {
        if !caller.actor.active {
            return Err(AppError::Forbidden);
        }
        if !is_blob_hash(hash) || self.store.is_essay_file(hash).await? {
            return Err(AppError::NotFound("That file"));
        }
        self.store
            .blob(hash)
            .await?
            .ok_or(AppError::NotFound("That file"))
    }

    /// Open a blob for reading, whole or one byte range of it, streamed from the store.
    /// Who may read: as [`App::blob`].
    pub async fn read_blob_range(
        &self,
        caller: &Caller,
        hash: &str,
        range: Option<ByteRange>,
    ) -> AppResult<BlobRead> {
        let blob = self.blob(caller, hash).await?;
        self.read_blob_row(blob, range).await
    }

    /// Read a blob the caller was already found to be allowed to read.
    pub(crate) async fn read_blob_row(
        &self,
        blob: BlobRow,
        range: Option<ByteRange>,
    ) -> AppResult<BlobRead> {
        let total = u64::try_from(blob.size).unwrap_or(0);
        let (range, partial) = match range {
            None => (0..total, false),
            Some(r) => match r.resolve(total) {
                Some(r) => (r, true),
                None => return Ok(BlobRead::Unsatisfiable { blob }),
            },
        };
        let options = GetOptions {
            range: partial.then(|| GetRange::Bounded(range.clone())),
            ..GetOptions::default()
        };
        let got = self
            .blobs
            .objects
            .get_opts(&object_path(&blob.hash), options)
            .await
            .map_err(|e| AppError::Internal(format!("blob {} cannot be read: {e}", blob.hash)))?;
        if got.meta.size != total || got.range != range {
            return Err(AppError::Internal(format!(
                "blob {} is {} bytes on disk but {total} in the database",
                blob.hash, got.meta.size
            )));
        }
        let stream = got
            .into_stream()
            .map(|chunk| chunk.map_err(std::io::Error::other))
            .boxed();
        Ok(BlobRead::Content(BlobContent {
            blob,
            range,
            partial,
            stream,
        }))
    }
}

fn internal(e: object_store::Error) -> AppError {
    AppError::Internal(format!("blob store: {e}"))
}

/// The refusal for a file over its purpose's limit; `size` when it is known.
pub fn too_large(purpose: BlobPurpose, limit: u64, size: Option<u64>) -> AppError {
    let size = match size {
        Some(s) => format!("this file is {}", human_size(s)),
        None => "this file is larger".to_owned(),
    };
    AppError::invalid(
        "file",
        format!(
            "{} may be at most {}; {size}.",
            purpose.plural(),
            human_size(limit)
        ),
    )
}

/// `10 MB`, `1.5 MB`, `900 KB`, `12 bytes` (binary units, as the limits are set).
pub fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    let (unit, name) = if bytes >= MIB {
        (MIB, "MB")
    } else if bytes >= KIB {
        (KIB, "KB")
    } else {
        return format!("{bytes} bytes");
    };
    let tenths = (bytes * 10 + unit / 2) / unit;
    if tenths.is_multiple_of(10) {
        format!("{} {name}", tenths / 10)
    } else {
        format!("{}.{} {name}", tenths / 10, tenths % 10)
    }
}

/// The last segment of a client-sent name, without control characters, at most 200
/// characters; `file` when nothing is left.
fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned.to_owned()
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

const PNG: &str = "image/png";
const JPEG: &str = "image/jpeg";
const GIF: &str = "image/gif";
const WEBP: &str = "image/webp";
const MP4: &str = "video/mp4";
const WEBM: &str = "video/webm";
const OGG_VIDEO: &str = "video/ogg";
const PDF: &str = "application/pdf";
const TEXT: &str = "text/plain";
const MARKDOWN: &str = "text/markdown";
const CSV: &str = "text/csv";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
const ZIP: &str = "application/zip";

/// What the bytes are, as one of our canonical types, or what `infer` thinks they are;
/// `None` when nothing is recognised.
fn sniff(data: &[u8], ext: &str) -> Option<&'static str> {
    // Ogg carries Theora video as well as audio; `infer` calls all of it audio.
    if data.starts_with(b"OggS") {
        return Some(OGG_VIDEO);
    }
    let found = infer::get(data).map(|t| t.mime_type());
    let office = match ext {
        "docx" => Some(DOCX),
        "xlsx" => Some(XLSX),
        "pptx" => Some(PPTX),
        _ => None,
    };
    match found {
        Some("video/x-m4v") => Some(MP4),
        // Office files are zip archives: the extension says which kind, and when `infer`
        // can tell the kind from the archive's entries, the two must agree.
        Some(ZIP) => office.or(Some(ZIP)),
        Some(t @ (DOCX | XLSX | PPTX)) => match office {
            Some(o) if o != t => Some(ZIP),
            _ => Some(t),
        },
        // `infer` calls text starting with `<p>` or `<!--` HTML; Markdown may well do that.
        None | Some("text/html" | "text/xml" | "text/x-shellscript") => text_type(data, ext),
        Some(other) => Some(other),
    }
}

/// Plain text, Markdown or CSV by extension, if the bytes are UTF-8 text.
fn text_type(data: &[u8], ext: &str) -> Option<&'static str> {
    let kind = match ext {
        "txt" | "text" => TEXT,
        "md" | "markdown" => MARKDOWN,
        "csv" => CSV,
        _ => return None,
    };
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    (std::str::from_utf8(body).is_ok() && !body.contains(&0)).then_some(kind)
}

/// Content types a client may declare for a canonical type (besides the type itself).
fn aliases(content_type: &str) -> &'static [&'static str] {
    match content_type {
        PNG => &["image/x-png"],
        JPEG => &["image/jpg", "image/pjpeg"],
        MP4 => &["video/x-m4v", "application/mp4"],
        OGG_VIDEO => &["application/ogg", "audio/ogg"],
        PDF => &["application/x-pdf"],
        MARKDOWN => &["text/x-markdown", "text/plain"],
        // Windows browsers call CSV files Excel sheets.
        CSV => &[
            "text/plain",
            "application/csv",
            "text/x-csv",
            "text/comma-separated-values",
            "application/vnd.ms-excel",
        ],
        DOCX | XLSX | PPTX => &["application/zip", "application/x-zip-compressed"],
        _ => &[],
    }
}

/// The canonical type of an upload, or why it is refused.
fn check_type(
    purpose: BlobPurpose,
    data: &[u8],
    name: &str,
    declared: &str,
) -> AppResult<&'static str> {
    let ext = extension(name);
    let declared = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let sniffed = sniff(data, &ext);
    let Some(content_type) = sniffed.filter(|t| purpose.allows(t)) else {
        let mut message = format!("This file is not {}", purpose.what_is_allowed());
        if let Some(t) = sniffed {
            message.push_str(&format!(" (its content is {t})"));
        }
        message.push('.');
        if purpose == BlobPurpose::Image && (ext == "svg" || declared == "image/svg+xml") {
            message.push_str(" SVG images are not accepted because they can carry scripts.");
        }
        return Err(AppError::invalid("file", message));
    };
    let declares_nothing = matches!(
        declared.as_str(),
        "" | "application/octet-stream" | "binary/octet-stream"
    );
    if !declares_nothing && declared != content_type && !aliases(content_type).contains(&&*declared)
    {
        return Err(AppError::invalid(
            "file",
            format!(
                "The file says it is {declared}, but its content is {content_type}. Nothing was stored."
            ),
        ));
    }
    Ok(content_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ManualClock, Settings, Store};
    use lore_domain::ids::UserId;
    use lore_domain::policy::Actor;

    /// A 1×1 transparent PNG.
    pub const PNG_1X1: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    const PDF_BYTES: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

    fn mp4_bytes() -> Vec<u8> {
        let mut v = vec![0, 0, 0, 0x18];
        v.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2");
        v.extend_from_slice(&[0u8; 64]);
        v
    }

    fn docx_like() -> Vec<u8> {
        // A zip local file header, as every Office Open XML file starts.
        let mut v = b"PK\x03\x04\x14\x00\x06\x00".to_vec();
        v.extend_from_slice(&[0u8; 40]);
        v
    }

    #[test]
    fn real_types_are_accepted_for_their_purpose() {
        use BlobPurpose::*;
        let cases: Vec<(BlobPurpose, Vec<u8>, &str, &str, &str)> = vec![
            (Image, PNG_1X1.to_vec(), "dot.png", "image/png", PNG),
            (Image, PNG_1X1.to_vec(), "dot", "", PNG),
            (
                Image,
                b"\xFF\xD8\xFF\xE0\0\x10JFIF\0".to_vec(),
                "a.jpg",
                "image/jpg",
                JPEG,
            ),
            (
                Image,
                b"GIF89a\x01\0\x01\0".to_vec(),
                "a.gif",
                "image/gif",
                GIF,
            ),
            (Video, mp4_bytes(), "clip.mp4", "video/mp4", MP4),
            (
                Video,
                b"OggS\0\x02".to_vec(),
                "clip.ogv",
                "video/ogg",
                OGG_VIDEO,
            ),
            (
                Document,
                PDF_BYTES.to_vec(),
                "paper.pdf",
                "application/pdf",
                PDF,
            ),
            (
                Document,
                b"# Notes\n".to_vec(),
                "notes.md",
                "text/markdown",
                MARKDOWN,
            ),
            (
                Document,
                b"<!-- intro -->\n# Notes\n".to_vec(),
                "notes.md",
                "",
                MARKDOWN,
            ),
            (
                Document,
                b"a,b\n1,2\n".to_vec(),
                "t.csv",
                "application/vnd.ms-excel",
                CSV,
            ),
            (
                Document,
                "héllo".as_bytes().to_vec(),
                "x.txt",
                "text/plain",
                TEXT,
            ),
            (Document, docx_like(), "report.docx", DOCX, DOCX),
        ];
        for (purpose, data, name, declared, expected) in cases {
            assert_eq!(
                check_type(purpose, &data, name, declared).expect(name),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn lies_and_unwanted_types_are_refused_with_a_reason() {
        use BlobPurpose::*;
        let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0".to_vec();
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        let cases: Vec<(BlobPurpose, &[u8], &str, &str, &str)> = vec![
            (
                Image,
                &exe,
                "cat.png",
                "image/png",
                "not a PNG, JPEG, GIF or WebP image",
            ),
            (Image, b"just text", "cat.png", "image/png", "not a PNG"),
            (
                Image,
                svg,
                "logo.svg",
                "image/svg+xml",
                "SVG images are not accepted",
            ),
            (
                Image,
                PNG_1X1,
                "dot.png",
                "image/gif",
                "says it is image/gif",
            ),
            (
                Video,
                PNG_1X1,
                "dot.mp4",
                "video/mp4",
                "its content is image/png",
            ),
            (Document, &exe, "setup.pdf", "application/pdf", "not a PDF"),
            (Document, b"\xFF\xFEbad", "x.txt", "text/plain", "not a PDF"),
            (Document, b"a\0b", "x.txt", "text/plain", "not a PDF"),
            (Document, b"<html>", "page.html", "text/html", "not a PDF"),
        ];
        for (purpose, data, name, declared, reason) in cases {
            match check_type(purpose, data, name, declared) {
                Err(AppError::Invalid(i)) => {
                    assert_eq!(i.field, "file");
                    assert!(i.message.contains(reason), "{name}: {}", i.message);
                }
                other => panic!("{name}: expected a refusal, got {other:?}"),
            }
        }
    }

    #[test]
    fn ranges_resolve_like_http() {
        assert_eq!(ByteRange::Between(0, 9).resolve(100), Some(0..10));
        assert_eq!(ByteRange::Between(90, 200).resolve(100), Some(90..100));
        assert_eq!(ByteRange::Between(100, 200).resolve(100), None);
        assert_eq!(ByteRange::Between(5, 4).resolve(100), None);
        assert_eq!(ByteRange::From(99).resolve(100), Some(99..100));
        assert_eq!(ByteRange::From(100).resolve(100), None);
        assert_eq!(ByteRange::Last(10).resolve(100), Some(90..100));
        assert_eq!(ByteRange::Last(500).resolve(100), Some(0..100));
        assert_eq!(ByteRange::Last(0).resolve(100), None);
    }

    #[test]
    fn hashes_names_and_sizes() {
        assert!(is_blob_hash(&"a0".repeat(32)));
        for bad in [
            "../../etc/passwd".to_owned(),
            "A0".repeat(32),
            "a0".repeat(31),
            format!("{}/", "a0".repeat(32)),
            "g0".repeat(32),
        ] {
            assert!(!is_blob_hash(&bad), "{bad}");
        }
        assert_eq!(clean_name("C:\\fakepath\\photo.png"), "photo.png");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("..."), "file");
        assert_eq!(clean_name("a\u{0}b\n.txt"), "ab.txt");
        assert_eq!(human_size(10 * MIB), "10 MB");
        assert_eq!(human_size(MIB + MIB / 2), "1.5 MB");
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(12), "12 bytes");
        assert!(BlobLimits::default().check().is_ok());
        assert!(
            BlobLimits {
                video: MAX_BLOB_BYTES + 1,
                ..BlobLimits::default()
            }
            .check()
            .is_err()
        );
    }

    async fn test_app(dir: &Path, limits: BlobLimits) -> (App, Caller) {
        let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let settings = Settings {
            blob_dir: dir.join("blobs"),
            limits,
            ..Settings::default()
        };
        let clock = Arc::new(ManualClock::new(
            time::macros::datetime!(2026-11-02 09:00 UTC),
        ));
        let app = App::new(store, clock, settings).expect("app");
        let caller = Caller {
            id: UserId(1),
            email: "ada@example.test".to_owned(),
            name: "Ada".to_owned(),
            platform_admin: false,
            time_zone: crate::profile::Zone::utc(),
            actor: Actor {
                user_id: UserId(1),
                active: true,
                platform_admin: false,
                memberships: Vec::new(),
                within: Vec::new(),
            },
        };
        (app, caller)
    }

    #[tokio::test]
    async fn an_upload_is_stored_once_under_its_hash_and_read_back_in_ranges() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (app, caller) = test_app(dir.path(), BlobLimits::default()).await;
        let data = Bytes::from_static(PNG_1X1);
        let stored = app
            .put_blob(
                &caller,
                data.clone(),
                "image/png",
                "dot.png",
                BlobPurpose::Image,
            )
            .await
            .expect("put");
        let hash = hex::encode(Sha256::digest(PNG_1X1));
        assert_eq!(stored.hash, hash);
        assert_eq!(stored.size, PNG_1X1.len() as u64);
        assert_eq!(stored.content_type, "image/png");
        let file = dir
            .path()
            .join("blobs")
            .join(&hash[0..2])
            .join(&hash[2..4])
            .join(&hash);
        assert_eq!(std::fs::read(&file).expect("file on disk"), PNG_1X1);

        let again = app
            .put_blob(&caller, data, "", "other-name.png", BlobPurpose::Image)
            .await
            .expect("put again");
        assert_eq!(again, stored, "the first upload's row is kept");
        assert_eq!(app.store.count_blobs().await.expect("count"), 1);

        let BlobRead::Content(whole) = app
            .read_blob_range(&caller, &hash, None)
            .await
            .expect("read")
        else {
            panic!("whole read")
        };
        assert!(!whole.partial);
        assert_eq!(whole.collect().await.expect("bytes"), PNG_1X1);
        let BlobRead::Content(part) = app
            .read_blob_range(&caller, &hash, Some(ByteRange::Between(1, 3)))
            .await
            .expect("read")
        else {
            panic!("range read")
        };
        assert_eq!(part.range, 1..4);
        assert_eq!(part.total(), PNG_1X1.len() as u64);
        assert_eq!(part.collect().await.expect("bytes"), b"PNG");
        assert!(matches!(
            app.read_blob_range(&caller, &hash, Some(ByteRange::From(10_000)))
                .await
                .expect("read"),
            BlobRead::Unsatisfiable { .. }
        ));
        for bad in ["../../etc/passwd", "t.db", &hash.to_uppercase()] {
            assert!(matches!(
                app.blob(&caller, bad).await,
                Err(AppError::NotFound(_))
            ));
        }
    }

    #[tokio::test]
    async fn refused_uploads_change_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let limits = BlobLimits {
            image: 64,
            ..BlobLimits::default()
        };
        let (app, caller) = test_app(dir.path(), limits).await;
        let big = {
            let mut v = PNG_1X1.to_vec();
            v.resize(65, 0);
            Bytes::from(v)
        };
        match app
            .put_blob(&caller, big, "image/png", "big.png", BlobPurpose::Image)
            .await
        {
            Err(AppError::Invalid(i)) => {
                assert_eq!(
                    i.message,
                    "Images may be at most 64 bytes; this file is 65 bytes."
                )
            }
            other => panic!("expected too large, got {other:?}"),
        }
        let exe = Bytes::from_static(b"MZ\x90\0\x03\0\0\0\x04\0\0\0");
        assert!(matches!(
            app.put_blob(&caller, exe, "image/png", "cat.png", BlobPurpose::Image)
                .await,
            Err(AppError::Invalid(_))
        ));
        assert!(matches!(
            app.put_blob(
                &caller,
                Bytes::new(),
                "",
                "empty.txt",
                BlobPurpose::Document
            )
            .await,
            Err(AppError::Invalid(_))
        ));
        assert_eq!(app.store.count_blobs().await.expect("count"), 0);
        let entries = std::fs::read_dir(dir.path().join("blobs"))
            .expect("blob dir")
            .count();
        assert_eq!(entries, 0, "nothing written to the blob folder");
    }
}
