//! Plain-text tables for the terminal: left-aligned columns, two spaces apart.

/// Render `rows` under `headers`; every row has as many cells as there are headers.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            let pad = width.saturating_sub(cell.chars().count());
            line.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_with_accented_names() {
        let rows = vec![
            vec!["Chloé Martin".to_owned(), "learner".to_owned()],
            vec!["Al".to_owned(), "admin".to_owned()],
        ];
        let table = render(&["NAME", "ROLE"], &rows);
        assert_eq!(
            table,
            "NAME          ROLE\nChloé Martin  learner\nAl            admin\n"
        );
    }
}
