//! `lore users import FILE.csv`: all rows or none, with a progress bar on stderr.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use lore_app::AppError;

use crate::commands::operator_error;
use crate::config::Config;
use crate::database;

pub async fn run(config: &Config, file: &Path) -> anyhow::Result<()> {
    let data = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let app = database::open_app(config).await?;

    let bar = ProgressBar::new(estimated_rows(&data));
    // The template is a constant; should it ever fail to parse, the default bar is fine.
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} importing people [{bar:30}] {pos}/{len} ({elapsed})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    let progress = |done: u64| {
        if done > bar.length().unwrap_or(0) {
            bar.set_length(done);
        }
        bar.set_position(done);
    };
    let result = app.import_people_as_operator(&data, &progress).await;
    bar.finish_and_clear();

    match result {
        Ok(t) => {
            println!(
                "Imported {}: {} created, {} updated, {} unchanged; memberships: {} added, {} changed.",
                file.display(),
                t.created,
                t.updated,
                t.unchanged,
                t.memberships_added,
                t.memberships_changed
            );
            Ok(())
        }
        Err(AppError::ImportRejected(rows)) => {
            for row in &rows {
                eprintln!("line {}: {}", row.line, row.reason);
            }
            // A row can have several problems; count rows, not problems.
            let bad_rows = rows.iter().map(|r| r.line).collect::<BTreeSet<_>>().len();
            Err(anyhow::anyhow!(
                "{} has {bad_rows} bad row(s); nothing was imported",
                file.display()
            ))
        }
        Err(other) => Err(operator_error(other)),
    }
}

/// Rows after the header, counting non-blank lines (quoted line breaks make it a guess).
fn estimated_rows(data: &[u8]) -> u64 {
    let lines = data
        .split(|b| *b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .count();
    u64::try_from(lines.saturating_sub(1)).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_skips_header_and_blank_lines() {
        assert_eq!(estimated_rows(b"email,name\na@x.io,A\n\nb@x.io,B\n"), 2);
        assert_eq!(estimated_rows(b""), 0);
    }
}
