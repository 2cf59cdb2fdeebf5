//! The first pass of an import: reads the whole file, one line at a time,
//! and checks what can be checked without the database (JSON shape and
//! types, known `type`, the header's format and version, the order of the
//! lines, ids ascending within a type, values the database would refuse or
//! store wrongly). Nothing is written until it passes.

use std::collections::HashSet;
use std::io::BufRead;

use super::format::{Header, Kind, Line, FORMAT, VERSION};
use super::{Counts, TransferError};
use crate::articles::revisions::{RevisionAction, Snapshot};
use crate::articles::workflow::Status;

/// What the first pass found.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The header line.
    pub header: Header,
    /// Lines in the file, the header included.
    pub lines: usize,
    /// Records per kind.
    pub records: Counts,
}

/// Checks every line of `input`; the first problem is an error naming its
/// line.
pub fn validate(input: impl BufRead) -> Result<Checked, TransferError> {
    let mut header = None;
    let mut records = Counts::default();
    let mut last: Option<(Kind, i64)> = None;
    let mut lines = 0;
    for (index, text) in input.lines().enumerate() {
        let number = index + 1;
        lines = number;
        let at = |message: String| TransferError::Line {
            line: number,
            message,
        };
        let text = text.map_err(|e| at(format!("unreadable: {e}")))?;
        let line = parse(&text).map_err(at)?;
        match (&line, number) {
            (Line::Header(h), 1) => {
                check_header(h).map_err(at)?;
                header = Some(h.clone());
                continue;
            }
            (Line::Header(_), _) => return Err(at("a second header".to_owned())),
            (_, 1) => {
                return Err(at(format!(
                    "the first line must be the header ({{\"type\":\"header\",\"format\":\"{FORMAT}\",\"version\":{VERSION},…}})"
                )))
            }
            _ => {}
        }
        let (kind, id) = (line.kind(), line.id());
        if id <= 0 {
            return Err(at(format!("{} id {id}: ids are positive", kind.name())));
        }
        if let Some((last_kind, last_id)) = last {
            if kind < last_kind {
                return Err(at(format!(
                    "type {} after type {}: the order is {}",
                    kind.name(),
                    last_kind.name(),
                    Kind::RECORDS.map(Kind::name).join(", ")
                )));
            }
            if kind == last_kind && id <= last_id {
                return Err(at(format!(
                    "{} id {id} after id {last_id}: ids ascend within a type (each once)",
                    kind.name()
                )));
            }
        }
        check_values(&line).map_err(at)?;
        last = Some((kind, id));
        records.add(kind, 1);
    }
    let header = header.ok_or(TransferError::Line {
        line: 1,
        message: "the file is empty (no header)".to_owned(),
    })?;
    Ok(Checked {
        header,
        lines,
        records,
    })
}

/// One line as JSON; the message without serde's position within the line
/// (a line is short enough, and its number is what counts).
pub(crate) fn parse(text: &str) -> Result<Line, String> {
    if text.trim().is_empty() {
        return Err("an empty line".to_owned());
    }
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        match message.rsplit_once(" at line ") {
            Some((what, _)) => format!("{what} (column {})", e.column()),
            None => message,
        }
    })
}

fn check_header(header: &Header) -> Result<(), String> {
    if header.format != FORMAT {
        return Err(format!(
            "format {:?} is not {FORMAT:?}: not a CMS export",
            header.format
        ));
    }
    if header.version != VERSION {
        return Err(format!(
            "format version {} is not supported (this build reads version {VERSION})",
            header.version
        ));
    }
    Ok(())
}

/// What the database would refuse, or store without complaint but wrongly.
fn check_values(line: &Line) -> Result<(), String> {
    match line {
        Line::Header(_) => Ok(()),
        Line::Author(a) => not_blank("slug", &a.slug),
        Line::Tag(t) => not_blank("slug", &t.slug),
        Line::User(u) => {
            not_blank("email", &u.email)?;
            match &u.password_hash {
                Some(hash) => not_blank("password_hash", hash),
                None => Ok(()),
            }
        }
        Line::Media(m) => {
            serde_json::from_str::<Vec<serde_json::Value>>(&m.variants)
                .map_err(|e| format!("variants is not a JSON array: {e}"))?;
            for (name, focal) in [("focal_x", m.focal_x), ("focal_y", m.focal_y)] {
                if focal.is_some_and(|f| !(0.0..=1.0).contains(&f)) {
                    return Err(format!("{name} is outside 0..1"));
                }
            }
            Ok(())
        }
        Line::Article(a) => {
            not_blank("slug", &a.slug)?;
            if a.status == Status::Trashed {
                return Err(
                    "status \"trashed\" is never stored (a trashed article has trashed_at)"
                        .to_owned(),
                );
            }
            let mut seen = HashSet::new();
            if let Some(dup) = a.tag_ids.iter().find(|id| !seen.insert(**id)) {
                return Err(format!("tag_ids names tag {dup} twice"));
            }
            Ok(())
        }
        Line::Revision(r) => {
            if RevisionAction::parse(&r.action).is_none() {
                return Err(format!("unknown revision action {:?}", r.action));
            }
            if let Some(snapshot) = &r.snapshot {
                serde_json::from_str::<Snapshot>(snapshot)
                    .map_err(|e| format!("snapshot is not an article snapshot: {e}"))?;
            }
            Ok(())
        }
        Line::Comment(c) => match c.parent_id {
            None if c.depth != 0 => Err(format!("depth {} without a parent", c.depth)),
            Some(parent) if parent >= c.id => Err(format!(
                "parent {parent} does not come before reply {}",
                c.id
            )),
            Some(_) if c.depth < 1 => Err(format!("depth {} of a reply", c.depth)),
            _ => Ok(()),
        },
    }
}

fn not_blank(field: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err(format!("{field} is empty"));
    }
    Ok(())
}
