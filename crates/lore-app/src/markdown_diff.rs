//! A word diff shown the way the text reads: the Markdown is rendered (headings, lists, code,
//! emphasis) with the added words in `<ins>` and the removed ones in `<del>`, instead of the
//! raw `###`, backticks and asterisks.
//!
//! How: the old and new texts are merged into one Markdown text in which private-use
//! characters mark where each added or removed run starts and ends. Marks never cross a line,
//! and a line's block syntax (`## `, `- `, `1. `, `> `) stays outside them, so the merged text
//! has the new text's structure; code fence lines are left unmarked. After rendering, the
//! marks become `<ins>`/`<del>` and the sanitiser re-serialises the HTML, so tags that ended
//! up crossing inline markup are nested properly.

use lore_domain::course::DiffPart;

const INS_START: char = '\u{E000}';
const INS_END: char = '\u{E001}';
const DEL_START: char = '\u{E002}';
const DEL_END: char = '\u{E003}';

fn is_mark(c: char) -> bool {
    matches!(c, INS_START | INS_END | DEL_START | DEL_END)
}

/// The rendered, sanitised HTML of a word diff.
pub fn render_diff(parts: &[DiffPart]) -> String {
    let mut merged = String::new();
    for part in parts {
        match part {
            DiffPart::Same(t) => merged.extend(t.chars().filter(|c| !is_mark(*c))),
            DiffPart::Added(t) => mark(&mut merged, t, INS_START, INS_END),
            DiffPart::Removed(t) => mark(&mut merged, t, DEL_START, DEL_END),
        }
    }
    let html = crate::markdown::render_unclean(&merged)
        .replace(INS_START, "<ins>")
        .replace(INS_END, "</ins>")
        .replace(DEL_START, "<del>")
        .replace(DEL_END, "</del>");
    crate::markdown::clean(&html)
}

/// Append `text` to `out` with each line's changed run between `start` and `end`.
fn mark(out: &mut String, text: &str, start: char, end: char) {
    let text: String = text.chars().filter(|c| !is_mark(*c)).collect();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim().is_empty() {
            out.push_str(line);
            continue;
        }
        let line_start = out.rfind('\n').map_or(0, |i| i + 1);
        let at_line_start = line_start == out.len();
        let (prefix, rest) = if at_line_start {
            line.split_at(block_prefix_len(line))
        } else if i == 0 && start == INS_START && only_removed(&out[line_start..]) {
            // The new text starts a block where the old text's words were removed: the block
            // syntax goes to the start of the line, before the removed words.
            let (prefix, rest) = line.split_at(block_prefix_len(line));
            let at = line_start + block_prefix_len(&out[line_start..]);
            out.insert_str(at, prefix);
            ("", rest)
        } else {
            ("", line)
        };
        out.push_str(prefix);
        let fence = at_line_start && (rest.starts_with("```") || rest.starts_with("~~~"));
        if fence || rest.is_empty() {
            out.push_str(rest);
            continue;
        }
        // Keep surrounding spaces outside the marks when they start a line, so indentation
        // still means what it meant.
        let inner_start = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..inner_start]);
        out.push(start);
        out.push_str(&rest[inner_start..]);
        out.push(end);
    }
}

/// Whether a line so far holds nothing but block syntax and removed words.
fn only_removed(line: &str) -> bool {
    let mut removed = false;
    let mut inside = false;
    for c in line[block_prefix_len(line)..].chars() {
        match c {
            DEL_START => inside = true,
            DEL_END => {
                inside = false;
                removed = true;
            }
            c if !inside && !c.is_whitespace() => return false,
            _ => {}
        }
    }
    removed && !inside
}

/// The length of a line's leading block syntax: indentation, heading hashes, list bullets and
/// numbers, quote markers.
fn block_prefix_len(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        let before = i;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'>' {
            i += 1;
            continue;
        }
        if i < bytes.len() && bytes[i] == b'#' {
            let mut j = i;
            while j < bytes.len() && bytes[j] == b'#' {
                j += 1;
            }
            if j - i <= 6 && (j == bytes.len() || bytes[j] == b' ') {
                i = j;
                continue;
            }
        }
        if i + 1 < bytes.len() && matches!(bytes[i], b'-' | b'*' | b'+') && bytes[i + 1] == b' ' {
            i += 2;
            continue;
        }
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j > i && j + 1 < bytes.len() && matches!(bytes[j], b'.' | b')') && bytes[j + 1] == b' ' {
            i = j + 2;
            continue;
        }
        if i == before {
            return i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lore_domain::course::word_diff;

    fn diff(old: &str, new: &str) -> String {
        render_diff(&word_diff(old, new))
    }

    #[test]
    fn markup_is_rendered_not_shown() {
        let html = diff(
            "### Before\n\nRun `make` and **wait**.",
            "### Before\n\nRun `make test` and **wait**.",
        );
        assert!(html.contains("<h3>Before</h3>"), "{html}");
        assert!(html.contains("<code>make"), "{html}");
        assert!(html.contains("<strong>wait</strong>"), "{html}");
        assert!(!html.contains("###") && !html.contains('`'), "{html}");
        assert!(html.contains("<ins>"), "{html}");
    }

    #[test]
    fn a_heading_that_replaces_words_is_still_a_heading() {
        let html = diff("Tick every box.", "### When it fires\n\nRun it.");
        assert!(
            html.starts_with("<h3><del>Tick</del><ins>When it</ins>"),
            "{html}"
        );
        assert!(!html.contains("###"), "{html}");
    }

    #[test]
    fn changed_words_are_marked_inside_their_block() {
        let html = diff("Page five people.", "Page two people.");
        assert!(html.contains("<del>five</del>"), "{html}");
        assert!(html.contains("<ins>two</ins>"), "{html}");
        assert!(html.starts_with("<p>"), "{html}");
    }

    #[test]
    fn an_added_paragraph_and_list_item_keep_their_structure() {
        let html = diff(
            "Intro.\n\n- one\n- two",
            "Intro.\n\n## New part\n\n- one\n- two\n- three",
        );
        assert!(html.contains("<h2><ins>New part</ins></h2>"), "{html}");
        assert!(html.contains("<li><ins>three</ins></li>"), "{html}");
    }

    #[test]
    fn code_blocks_stay_code_blocks() {
        let html = diff("```sh\nrotate --old\n```", "```sh\nrotate --new\n```");
        assert!(html.contains("<pre>"), "{html}");
        assert!(!html.contains("```"), "{html}");
    }

    #[test]
    fn marks_typed_by_an_author_are_ignored_and_html_stays_inert() {
        let html = diff("a", "a \u{E000}<script>x</script>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains('\u{E000}'), "{html}");
    }

    #[test]
    fn block_syntax_is_measured() {
        assert_eq!(block_prefix_len("## Title"), 3);
        assert_eq!(block_prefix_len("- item"), 2);
        assert_eq!(block_prefix_len("12. item"), 4);
        assert_eq!(block_prefix_len("> - quoted"), 4);
        assert_eq!(block_prefix_len("plain"), 0);
        assert_eq!(block_prefix_len("#hashtag"), 0);
    }
}
