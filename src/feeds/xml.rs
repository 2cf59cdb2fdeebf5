//! Writing XML with quick-xml: every text and attribute value is escaped by
//! the writer, and characters XML 1.0 cannot carry are dropped first.

use std::io;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

/// An XML document being written (UTF-8, indented by two spaces).
pub type Xml = Writer<Vec<u8>>;

/// A new document with its XML declaration.
pub fn document() -> io::Result<Xml> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

/// The bytes written, with a final newline.
pub fn finish(w: Xml) -> Vec<u8> {
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

/// `<name>value</name>`, the value escaped.
pub fn text(w: &mut Xml, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&safe(value)))?;
    Ok(())
}

/// `<name attrs…>value</name>`, the value and attributes escaped.
pub fn text_with(w: &mut Xml, name: &str, attrs: &[(&str, &str)], value: &str) -> io::Result<()> {
    let attrs: Vec<(&str, String)> = attrs.iter().map(|(k, v)| (*k, safe(v))).collect();
    w.create_element(name)
        .with_attributes(attrs.iter().map(|(k, v)| (*k, v.as_str())))
        .write_text_content(BytesText::new(&safe(value)))?;
    Ok(())
}

/// `<name attrs…/>`, the attributes escaped.
pub fn empty(w: &mut Xml, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
    let attrs: Vec<(&str, String)> = attrs.iter().map(|(k, v)| (*k, safe(v))).collect();
    w.create_element(name)
        .with_attributes(attrs.iter().map(|(k, v)| (*k, v.as_str())))
        .write_empty()?;
    Ok(())
}

/// `value` without the characters XML 1.0 forbids (C0 controls other than
/// tab and line breaks, U+FFFE, U+FFFF), which no escape can carry.
pub fn safe(value: &str) -> String {
    value
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut w = document().unwrap();
        w.create_element("a")
            .write_inner_content(|w| {
                text(w, "t", "Ports & “Harbours” <b>\u{1}")?;
                empty(w, "l", &[("href", "https://x.example/?a=1&b=\"2\"")])
            })
            .unwrap();
        let out = String::from_utf8(finish(w)).unwrap();
        assert!(
            out.contains("<t>Ports &amp; “Harbours” &lt;b&gt;</t>"),
            "{out}"
        );
        assert!(
            out.contains(r#"<l href="https://x.example/?a=1&amp;b=&quot;2&quot;"/>"#),
            "{out}"
        );
    }
}
