//! Which comments the public sees: an approved comment whose parent is
//! shown. A reply under a trashed, spammed or pending comment is hidden with
//! it (and shows again when its parent is approved), so a public thread
//! never points at a comment readers cannot see.

use std::collections::HashSet;

use super::status::CommentStatus;

/// One comment of an article as the thread rules need it.
#[derive(Debug, Clone)]
pub struct ThreadNode {
    /// The comment.
    pub id: i64,
    /// The comment it replies to.
    pub parent_id: Option<i64>,
    /// Its moderation status.
    pub status: CommentStatus,
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
        let visible = node.status == CommentStatus::Approved && parent_shown;
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

/// How many approved or pending comments hang below `root` at any depth
/// (what deleting `root` with its subtree would lose). `nodes` as for
/// [`changes`].
pub fn live_below(nodes: &[ThreadNode], root: i64) -> usize {
    let mut below: HashSet<i64> = HashSet::from([root]);
    let mut live = 0;
    for node in nodes {
        if node.parent_id.is_some_and(|p| below.contains(&p)) {
            below.insert(node.id);
            if matches!(
                node.status,
                CommentStatus::Approved | CommentStatus::Pending
            ) {
                live += 1;
            }
        }
    }
    live
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent_id: Option<i64>, approved: bool, visible: bool) -> ThreadNode {
        let status = if approved {
            CommentStatus::Approved
        } else {
            CommentStatus::Trash
        };
        ThreadNode {
            id,
            parent_id,
            status,
            visible,
        }
    }

    #[test]
    fn live_comments_anywhere_below_count() {
        // 1 ← 2 (trash) ← 3 (approved); 4 is another thread.
        let nodes = [
            node(1, None, true, true),
            node(4, None, true, true),
            node(2, Some(1), false, false),
            node(3, Some(2), true, false),
        ];
        assert_eq!(live_below(&nodes, 1), 1);
        assert_eq!(live_below(&nodes, 2), 1);
        assert_eq!(live_below(&nodes, 3), 0);
        assert_eq!(live_below(&nodes, 4), 0);
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
