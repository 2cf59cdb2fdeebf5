//! Which comments the public sees: an approved comment whose parent is
//! shown. A reply under a trashed, spammed or pending comment is hidden with
//! it (and shows again when its parent is approved), so a public thread
//! never points at a comment readers cannot see.

use std::collections::HashSet;

/// One comment of an article as the visibility rule needs it.
#[derive(Debug, Clone)]
pub struct ThreadNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub approved: bool,
    /// The stored flag, before recomputing.
    pub visible: bool,
}

/// Ids whose stored flag is wrong: `(to_show, to_hide)`. `nodes` must list
/// every comment of one article, parents before their replies (by depth).
pub fn changes(nodes: &[ThreadNode]) -> (Vec<i64>, Vec<i64>) {
    let mut shown: HashSet<i64> = HashSet::with_capacity(nodes.len());
    let (mut to_show, mut to_hide) = (Vec::new(), Vec::new());
    for node in nodes {
        let parent_shown = node.parent_id.is_none_or(|p| shown.contains(&p));
        let visible = node.approved && parent_shown;
        if visible {
            shown.insert(node.id);
        }
        match (node.visible, visible) {
            (false, true) => to_show.push(node.id),
            (true, false) => to_hide.push(node.id),
            _ => {}
        }
    }
    (to_show, to_hide)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent_id: Option<i64>, approved: bool, visible: bool) -> ThreadNode {
        ThreadNode {
            id,
            parent_id,
            approved,
            visible,
        }
    }

    #[test]
    fn trashing_a_comment_hides_its_whole_subtree() {
        let nodes = [
            node(1, None, false, true),
            node(2, Some(1), true, true),
            node(3, Some(2), true, true),
            node(4, None, true, true),
        ];
        assert_eq!(changes(&nodes), (vec![], vec![1, 2, 3]));
    }

    #[test]
    fn approving_a_parent_shows_its_approved_replies_only() {
        let nodes = [
            node(1, None, true, false),
            node(2, Some(1), true, false),
            node(3, Some(1), false, false),
            node(4, Some(3), true, false),
        ];
        assert_eq!(changes(&nodes), (vec![1, 2], vec![]));
    }

    #[test]
    fn nothing_changes_when_flags_are_right() {
        let nodes = [node(1, None, true, true), node(2, Some(1), false, false)];
        assert_eq!(changes(&nodes), (vec![], vec![]));
    }
}
