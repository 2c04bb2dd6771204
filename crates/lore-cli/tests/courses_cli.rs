//! `lore courses import|export` as an operator uses them: a hand-written folder goes in,
//! comes out, goes in again, and the two exports are the same files byte for byte.
#![expect(
    clippy::expect_used,
    reason = "test helpers fail the test with a message, like the tests themselves"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A 1×1 transparent PNG.
const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

struct Sandbox {
    root: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Self {
        Self {
            root: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// `lore ARGS --data-dir DATA` in the sandbox, with no `LORE_*` variable from outside.
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lore"));
        command
            .args(args)
            .arg("--data-dir")
            .arg(self.path("data"))
            .current_dir(self.root.path())
            .stdin(Stdio::null());
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("LORE_") {
                command.env_remove(&key);
            }
        }
        command.env_remove("RUST_LOG");
        command.envs(env.iter().copied());
        command.output().expect("run lore")
    }

    fn succeeds(&self, args: &[&str]) -> String {
        let out = self.run(args, &[]);
        assert!(
            out.status.success(),
            "lore {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Expect exit code 1 and return the one `error:` line.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args, &[]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "lore {} should fail",
            args.join(" ")
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "one error line expected:\n{stderr}");
        errors[0].to_owned()
    }

    fn write(&self, name: &str, data: &[u8]) {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, data).expect("write");
    }
}

/// Every file below `root` by relative path, with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .expect("below root")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

/// The course id in "Imported "…" as course N, …".
fn imported_id(stdout: &str) -> String {
    stdout
        .split("as course ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_else(|| panic!("no course id in {stdout:?}"))
        .to_owned()
}

fn setup() -> Sandbox {
    let s = Sandbox::new();
    let out = s.run(
        &[
            "users",
            "add",
            "--email",
            "admin@acme.test",
            "--name",
            "Ada Admin",
            "--admin",
        ],
        &[("LORE_NEW_PASSWORD", "correct horse battery")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    s.succeeds(&["groups", "add", "Acme"]);
    s.succeeds(&["groups", "add", "Engineering", "--parent", "Acme"]);
    s
}

#[test]
fn a_folder_round_trips_through_import_and_export_byte_for_byte() {
    let s = setup();
    s.write(
        "src/course.toml",
        b"format = 1\ntitle = \"Code review\"\nsummary = \"How we review.\"\ntags = [\"Review\", \"git\"]\nestimated_minutes = 15\ngroup = \"Acme/Engineering\"\ncover = \"assets/cover.png\"\nchange_note = \"From our wiki\"\n",
    );
    s.write(
        "src/steps/01-why.md",
        b"+++\ntitle = \"Why we review\"\n+++\n\nTwo pairs of eyes catch **more**.\n",
    );
    s.write(
        "src/steps/02-how.md",
        b"---\ntitle: \"How: step by step\"\nkind: video\nrequired: false\nvideo_url: https://videos.acme.test/review\n---\nWatch first.\n",
    );
    s.write(
        "src/steps/03-checklist.md",
        b"+++\ntitle = \"Checklist\"\nkind = \"file\"\nfile = \"assets/Review checklist.pdf\"\n+++\nPrint it.\n",
    );
    s.write("src/assets/cover.png", PNG_1X1);
    s.write(
        "src/assets/Review checklist.pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    );
    s.write("src/.git/HEAD", b"ref: refs/heads/main\n");
    s.write("src/README.md", b"Our course, kept in Git.\n");

    let first = imported_id(&s.succeeds(&["courses", "import", "src"]));
    s.succeeds(&["courses", "export", &first, "out1"]);
    let second = imported_id(&s.succeeds(&["courses", "import", "out1"]));
    assert_ne!(first, second);
    s.succeeds(&["courses", "export", &second, "out2"]);

    let one = tree(&s.path("out1"));
    let two = tree(&s.path("out2"));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    assert_eq!(one, two, "the two exports differ");
    assert_eq!(one.len(), 6, "{:?}", one.keys());
    assert!(one.contains_key("steps/02-how-step-by-step.md"));
    let manifest = String::from_utf8(one["course.toml"].clone()).expect("utf-8");
    assert!(
        manifest.contains("tags = [\"review\", \"git\"]"),
        "{manifest}"
    );
    assert!(manifest.contains("\"Review checklist.pdf\""), "{manifest}");

    // Exporting over a folder that has files is refused.
    let error = s.fails(&["courses", "export", &first, "out1"]);
    assert!(error.contains("is not empty"), "{error}");

    // A draft on request.
    let out = s.succeeds(&[
        "courses",
        "import",
        "out1",
        "--no-publish",
        "--as",
        "admin@acme.test",
    ]);
    assert!(out.contains("kept as a draft"), "{out}");
}

#[test]
fn a_bad_folder_names_the_file_and_creates_nothing() {
    let s = setup();
    s.write("bad/course.toml", b"format = 1\ntitle = \"Bad\"\n");
    s.write(
        "bad/steps/01-ok.md",
        b"+++\ntitle = \"Fine\"\n+++\nHello.\n",
    );
    s.write(
        "bad/steps/02-x.md",
        b"+++\ntitle = \"X\"\nkind = \"quiz\"\n+++\n",
    );
    let error = s.fails(&["courses", "import", "bad"]);
    assert!(
        error.contains("steps/02-x.md: Unknown step kind \"quiz\""),
        "{error}"
    );
    let error = s.fails(&["courses", "export", "1", "out"]);
    assert!(
        error.contains("not found"),
        "no course was created: {error}"
    );

    #[cfg(unix)]
    {
        s.write("linked/course.toml", b"format = 1\ntitle = \"Linked\"\n");
        std::os::unix::fs::symlink("/etc/passwd", s.path("linked/steps.md")).expect("symlink");
        let error = s.fails(&["courses", "import", "linked"]);
        assert!(error.contains("steps.md: is a symbolic link"), "{error}");
    }

    let error = s.fails(&["courses", "import", "bad", "--as", "nobody@acme.test"]);
    assert!(error.contains("not found"), "{error}");
}

#[test]
fn a_demo_course_folder_imports_and_exports_as_it_is_committed() {
    // The demo's courses are kept in the format (crates/lore-app/demo/courses): version 1 at
    // the top, later versions and the questions beside, which import leaves alone.
    let s = setup();
    s.succeeds(&["groups", "add", "Customer Success", "--parent", "Acme"]);
    let demo =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../lore-app/demo/courses/on-call-runbook");
    for (folder, out) in [(demo.clone(), "v1"), (demo.join("versions/3"), "v3")] {
        let source = folder.to_str().expect("a UTF-8 path");
        let id = imported_id(&s.succeeds(&["courses", "import", source]));
        s.succeeds(&["courses", "export", &id, out]);
        let mut expected = tree(&folder);
        expected.retain(|path, _| !path.starts_with("versions/") && path != "questions.gift");
        assert_eq!(tree(&s.path(out)), expected, "{source}");
    }
}
