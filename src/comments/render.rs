//! Comment bodies as HTML: the plain text escaped, paragraphs on blank
//! lines and `<br>` on single line breaks. Nothing the reader typed becomes
//! markup.

/// Escapes `&`, `<`, `>`, `"` and `'`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The body as safe HTML paragraphs.
pub fn body_html(body: &str) -> String {
    let normalized = body.replace("\r\n", "\n");
    normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lines: Vec<String> = p.lines().map(escape).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_paragraphs_kept() {
        assert_eq!(
            body_html("<img src=x onerror=alert(1)>\nsecond line\n\n“Quoted” & done"),
            "<p>&lt;img src=x onerror=alert(1)&gt;<br>second line</p>\n<p>“Quoted” &amp; done</p>"
        );
        assert_eq!(escape(r#"'a' "b""#), "&#39;a&#39; &quot;b&quot;");
    }
}
