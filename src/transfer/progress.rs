//! A progress bar on standard error when it is a terminal, hidden
//! otherwise (pipes, files, CI logs, tests).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting to `total`, or a spinner counting up when `None`.
pub(crate) fn bar(total: Option<u64>, what: &'static str) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::with_draw_target(Some(total), target),
            "{msg} [{bar:40}] {pos}/{len} lines ({per_sec}, {eta} left)",
        ),
        None => (
            ProgressBar::with_draw_target(None, target),
            "{spinner} {msg} {pos} rows ({per_sec})",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what);
    bar
}
