//! Markdown to safe HTML: comrak renders (raw HTML escaped), then ammonia keeps only
//! harmless tags and attributes, so scripts, event handlers and `javascript:` links are inert.

use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .add_tag_attributes("img", ["loading"])
        .add_tag_attributes("code", ["class"]);
    b
});

/// Render an author's Markdown to HTML that is safe to put in a page.
pub fn render(markdown: &str) -> String {
    clean(&render_unclean(markdown))
}

/// Keep only harmless tags and attributes of `html`.
pub(crate) fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// Comrak's HTML before the sanitiser: only for callers that clean it afterwards.
pub(crate) fn render_unclean(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.render.r#unsafe = false;
    comrak::markdown_to_html(markdown, &options)
}

/// The words of a Markdown text without its markup, for search and diffs of prose.
pub fn plain_text(markdown: &str) -> String {
    let html = render(markdown);
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_dangerous_html_is_inert() {
        let html = render("# Title\n\nSome **bold** text and a [link](https://example.com).");
        assert!(html.contains("<h1>Title</h1>") && html.contains("<strong>bold</strong>"));
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
        for evil in [
            "<script>alert(1)</script>",
            "[click](javascript:alert(1))",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<div onclick=\"alert(1)\">x</div>",
        ] {
            let out = render(evil);
            assert!(!out.contains("<script"), "{evil} → {out}");
            assert!(!out.contains("javascript:"), "{evil} → {out}");
            assert!(
                !out.contains("onerror") && !out.contains("onclick"),
                "{evil} → {out}"
            );
        }
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("## Rotate *keys*\n\n- every `week`"),
            "Rotate keys every week"
        );
    }
}
