//! Markdown handling for article bodies.
//!
//! Bodies are stored as Markdown (CommonMark plus tables, strikethrough and
//! footnotes). [`render`] turns them into HTML that is safe to embed in a
//! page; [`first_paragraph`] and [`plain_text`] extract text for excerpts and
//! word counts.
//!
//! Smart punctuation is deliberately off: the author's own typography (curly
//! quotes, dashes, ellipses) passes through untouched, and straight quotes
//! are never rewritten.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Longest excerpt [`first_paragraph`] returns, in characters (including the
/// trailing `…` when the paragraph was cut).
pub const MAX_EXCERPT_CHARS: usize = 500;

/// `rel` value forced onto every link in rendered HTML.
const LINK_REL: &str = "noopener noreferrer nofollow";

/// HTML sanitizer with a fixed allow-list suited to news articles. Built once.
static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let tags = HashSet::from([
        "p",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "img",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "hr",
        "br",
        "del",
        "sup",
        "sub",
        "figure",
        "figcaption",
    ]);
    let tag_attributes = HashMap::from([
        ("a", HashSet::from(["href", "title"])),
        ("img", HashSet::from(["src", "alt", "title"])),
    ]);
    let mut builder = Builder::empty();
    builder
        .tags(tags)
        .tag_attributes(tag_attributes)
        .generic_attributes(HashSet::new())
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some(LINK_REL))
        .strip_comments(true);
    builder
});

/// Markdown extensions enabled for article bodies.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// Renders Markdown to sanitized HTML.
///
/// Raw HTML in the source is allowed through the Markdown stage and then
/// filtered: only `p`, `h2`–`h6`, `a[href,title]`, `em`, `strong`, `code`,
/// `pre`, `blockquote`, `ul`, `ol`, `li`, `img[src,alt,title]`, table
/// elements, `hr`, `br`, `del`, `sup`, `sub`, `figure` and `figcaption`
/// survive (other tags are unwrapped, keeping their text; `script` and
/// `style` are removed with their content). URLs must be `http`, `https`,
/// `mailto` or relative, and every link gets
/// `rel="noopener noreferrer nofollow"`.
pub fn render(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options()));
    SANITIZER.clean(&html).to_string()
}

/// Plain text of the first paragraph that has any text, for use as an
/// excerpt.
///
/// Text and inline code are kept, line breaks become spaces, runs of
/// whitespace collapse, image alt text and raw HTML tags are ignored.
/// Headings, lists and code blocks are not paragraphs, and a paragraph that
/// holds only an image is skipped. The result is capped at
/// [`MAX_EXCERPT_CHARS`] characters: when cut, it ends with `…` (which counts
/// toward the cap). Returns `None` when no paragraph has text.
pub fn first_paragraph(markdown: &str) -> Option<String> {
    let mut in_paragraph = false;
    let mut image_depth = 0usize;
    let mut buf = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Paragraph) => {
                in_paragraph = true;
                buf.clear();
            }
            Event::End(TagEnd::Paragraph) => {
                in_paragraph = false;
                let text = collapse_whitespace(&buf);
                if !text.is_empty() {
                    return Some(cap_chars(text, MAX_EXCERPT_CHARS));
                }
            }
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_paragraph && image_depth == 0 => {
                buf.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak if in_paragraph => buf.push(' '),
            _ => {}
        }
    }
    None
}

/// All text content of the document, blocks joined with single spaces (for
/// word counting).
///
/// Includes headings, list items, table cells, code and footnote text;
/// excludes image alt text, link URLs and raw HTML tags (text between tags
/// is kept). Inline formatting does not split words: `un*believ*able` gives
/// `unbelievable`.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut image_depth = 0usize;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if image_depth == 0 => out.push_str(&t),
            Event::Start(tag) if !is_inline(&tag.to_end()) => out.push(' '),
            Event::End(tag) if !is_inline(&tag) => out.push(' '),
            Event::SoftBreak | Event::HardBreak | Event::Rule => out.push(' '),
            _ => {}
        }
    }
    collapse_whitespace(&out)
}

/// Inline elements, whose boundaries must not introduce a space.
fn is_inline(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Trims and collapses every whitespace run to one space.
fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts `s` to at most `max` characters, ending with `…` when cut.
fn cap_chars(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        return s;
    }
    let keep = max.saturating_sub(1);
    let cut = s.char_indices().nth(keep).map_or(s.len(), |(i, _)| i);
    let mut out = s[..cut].trim_end().to_owned();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typography_passes_through_unchanged() {
        let html = render("He said “hello” — it’s fine… and \"plain\" 'too'.");
        assert_eq!(
            html.trim(),
            "<p>He said “hello” — it’s fine… and \"plain\" 'too'.</p>"
        );
        assert!(html.contains('“') && html.contains('”') && html.contains('’'));
        assert!(!html.contains("&rsquo;") && !html.contains("&#8217;"));
    }

    #[test]
    fn strips_dangerous_html_and_urls() {
        let html = render("<img src=x onerror=alert(1)>");
        assert!(
            !html.contains("onerror") && !html.contains("alert"),
            "{html}"
        );

        let html = render("Before\n\n<script>alert(1)</script>\n\nAfter");
        assert!(
            !html.contains("script") && !html.contains("alert"),
            "{html}"
        );
        assert!(html.contains("<p>Before</p>") && html.contains("<p>After</p>"));

        let html = render("[x](javascript:alert(1))");
        assert!(
            !html.contains("javascript") && !html.contains("alert"),
            "{html}"
        );
        assert!(html.contains(">x</a>"), "{html}");

        let html = render("![a](data:image/svg+xml;base64,AAAA)");
        assert!(!html.contains("data:"), "{html}");

        let html = render("<p onclick=\"x()\" style=\"color:red\" class=\"c\">hi</p><iframe src=\"https://e.com\"></iframe>");
        assert_eq!(html.trim(), "<p>hi</p>");
    }

    #[test]
    fn links_get_rel_and_allowed_elements_survive() {
        let html = render("[site](https://example.com \"Ex\") and [mail](mailto:a@b.c)");
        assert!(html.contains(
            "<a href=\"https://example.com\" title=\"Ex\" rel=\"noopener noreferrer nofollow\">site</a>"
        ), "{html}");
        assert!(html.contains("href=\"mailto:a@b.c\""), "{html}");

        let html = render("![Alt text](https://img.example/x.png \"T\")");
        assert!(
            html.contains("<img src=\"https://img.example/x.png\" alt=\"Alt text\" title=\"T\">"),
            "{html}"
        );

        let html = render("## Sub\n\n~~gone~~ **b** *i* `c`\n\n> q\n\n---\n\n```\nfn x() {}\n```");
        for needle in [
            "<h2>Sub</h2>",
            "<del>gone</del>",
            "<strong>b</strong>",
            "<em>i</em>",
            "<code>c</code>",
            "<blockquote>",
            "<hr>",
            "<pre><code>fn x() {}\n</code></pre>",
        ] {
            assert!(html.contains(needle), "missing {needle} in {html}");
        }

        let html = render("| a | b |\n|---|:-:|\n| 1 | 2 |");
        assert!(
            html.contains("<table>") && html.contains("<th>a</th>") && html.contains("<td>1</td>"),
            "{html}"
        );

        let html = render("Claim.[^1]\n\n[^1]: Source.");
        assert!(html.contains("<sup>") && html.contains("Source."), "{html}");

        // Top-level headings belong to the article title, not the body.
        assert_eq!(render("# Title").trim(), "Title");
    }

    #[test]
    fn first_paragraph_is_the_first() {
        let md = "# Heading\n\nFirst *para*\nwith `code`.\n\nSecond para.";
        assert_eq!(
            first_paragraph(md).as_deref(),
            Some("First para with code.")
        );
        assert_eq!(
            first_paragraph("![lead](https://x/y.png)\n\nText."),
            Some("Text.".to_owned())
        );
        assert_eq!(first_paragraph(""), None);
        assert_eq!(first_paragraph("# Only a heading\n\n- item"), None);
    }

    #[test]
    fn first_paragraph_is_capped() {
        let md = "ж".repeat(600);
        let excerpt = first_paragraph(&md).unwrap_or_default();
        assert_eq!(excerpt.chars().count(), MAX_EXCERPT_CHARS);
        assert!(excerpt.ends_with('…'));
        let exact = "a".repeat(MAX_EXCERPT_CHARS);
        assert_eq!(first_paragraph(&exact), Some(exact.clone()));
    }

    #[test]
    fn plain_text_joins_blocks() {
        let md = "# Title\n\nSome un*believ*able text and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n\n![alt](x.png)<b>raw</b>";
        assert_eq!(
            plain_text(md),
            "Title Some unbelievable text and code. one two a b c d raw"
        );
        assert_eq!(plain_text(""), "");
    }
}
