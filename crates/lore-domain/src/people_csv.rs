//! Reading a people import file: `email,name,groups,roles,manager_email`.
//! Every row is checked; a file with any bad row is reported whole and imports nothing.

use std::collections::HashSet;

use crate::account::{Email, PersonName};
use crate::csv_lines::LineCounter;
use crate::role::Role;

/// One good row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    pub email: Email,
    pub name: PersonName,
    /// Group references (a name, or a path like `Acme/Engineering`) with the role in each.
    pub memberships: Vec<(String, Role)>,
    pub manager: Option<Email>,
}

/// Why a row was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub reason: String,
}

pub const COLUMNS: [&str; 5] = ["email", "name", "groups", "roles", "manager_email"];

/// The file read whole: the good rows, and every bad row with its reason.
/// The caller imports only when `errors` is empty (after its own checks on `rows`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub rows: Vec<PersonRow>,
    pub errors: Vec<RowError>,
    /// Every well-formed email address in the file, from good rows and bad ones, so a manager
    /// whose own row is bad is not also reported as missing.
    pub mentioned: HashSet<Email>,
}

/// Parse the whole file, checking every row.
pub fn parse(data: &[u8]) -> Parsed {
    match parse_inner(data) {
        Ok(p) => p,
        Err(header_error) => Parsed {
            errors: vec![header_error],
            ..Parsed::default()
        },
    }
}

fn parse_inner(data: &[u8]) -> Result<Parsed, RowError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data);
    let header = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|c| c.trim().to_lowercase())
            .collect::<Vec<_>>(),
        Err(e) => {
            return Err(RowError {
                line: 1,
                reason: format!("The header could not be read: {}", plain_csv_error(&e)),
            });
        }
    };
    let position = |name: &str| header.iter().position(|c| c == name);
    let (Some(email_at), Some(name_at)) = (position("email"), position("name")) else {
        return Err(RowError {
            line: 1,
            reason: format!(
                "The first line must name the columns: {} (email and name are required).",
                COLUMNS.join(",")
            ),
        });
    };
    if let Some(unknown) = header.iter().find(|c| !COLUMNS.contains(&c.as_str())) {
        return Err(RowError {
            line: 1,
            reason: format!(
                "Unknown column {unknown:?}; the columns are {}.",
                COLUMNS.join(",")
            ),
        });
    }
    let groups_at = position("groups");
    let roles_at = position("roles");
    let manager_at = position("manager_email");

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut mentioned = HashSet::new();
    let mut lines = LineCounter::new(data);
    for (index, record) in reader.records().enumerate() {
        let fallback_line = index as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(fallback_line, |p| lines.line_at(p.byte()));
                errors.push(RowError {
                    line,
                    reason: plain_csv_error(&e),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(fallback_line, |p| lines.line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > header.len() {
            errors.push(RowError {
                line,
                reason: format!(
                    "{} values, but the header names {} columns.",
                    record.len(),
                    header.len()
                ),
            });
            continue;
        }
        let cell = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("");
        if let Ok(email) = Email::parse(cell(Some(email_at))) {
            mentioned.insert(email);
        }
        match parse_row(
            line,
            cell(Some(email_at)),
            cell(Some(name_at)),
            cell(groups_at),
            cell(roles_at),
            cell(manager_at),
        ) {
            Ok(row) => {
                if seen.insert(row.email.clone()) {
                    rows.push(row);
                } else {
                    errors.push(RowError {
                        line,
                        reason: format!("{} appears more than once in the file.", row.email),
                    });
                }
            }
            Err(reason) => errors.push(RowError { line, reason }),
        }
    }
    Ok(Parsed {
        rows,
        errors,
        mentioned,
    })
}

fn parse_row(
    line: u64,
    email: &str,
    name: &str,
    groups: &str,
    roles: &str,
    manager: &str,
) -> Result<PersonRow, String> {
    let email = Email::parse(email).map_err(|e| e.message)?;
    let name = PersonName::parse(name).map_err(|e| e.message)?;
    let groups: Vec<&str> = split_list(groups);
    let roles: Vec<Role> = split_list(roles)
        .into_iter()
        .map(|r| Role::parse(r).map_err(|e| e.message))
        .collect::<Result<_, _>>()?;
    let memberships = match (groups.len(), roles.len()) {
        (_, 0) => groups
            .iter()
            .map(|g| ((*g).to_owned(), Role::Learner))
            .collect(),
        (0, _) => return Err("Roles are given but no groups to hold them.".to_owned()),
        (_, 1) => groups.iter().map(|g| ((*g).to_owned(), roles[0])).collect(),
        (g, r) if g == r => groups
            .iter()
            .zip(roles)
            .map(|(g, r)| ((*g).to_owned(), r))
            .collect(),
        (g, r) => {
            return Err(format!(
                "{g} groups but {r} roles: give one role for all groups, or one per group."
            ));
        }
    };
    let manager = if manager.is_empty() {
        None
    } else {
        let m = Email::parse(manager).map_err(|e| format!("manager_email: {}", e.message))?;
        if m == email {
            return Err("A person cannot be their own manager.".to_owned());
        }
        Some(m)
    };
    Ok(PersonRow {
        line,
        email,
        name,
        memberships,
        manager,
    })
}

fn split_list(cell: &str) -> Vec<&str> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn plain_csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "The line is not valid UTF-8 text.".to_owned(),
        _ => "The line is not valid CSV.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_parses_with_roles_per_group() {
        let data = b"email,name,groups,roles,manager_email\n\
            ada@example.com,Ada Lovelace,Engineering;Sales,author;learner,\n\
            bob@example.com,Bob Stone,Acme/Engineering,coach,ada@example.com\n\
            \n\
            cy@example.com,Cy Young,,,\n";
        let parsed = parse(data);
        assert_eq!(parsed.errors, vec![]);
        let rows = parsed.rows;
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].memberships,
            vec![
                ("Engineering".to_owned(), Role::Author),
                ("Sales".to_owned(), Role::Learner)
            ]
        );
        assert_eq!(rows[1].line, 3);
        assert_eq!(
            rows[1].manager.as_ref().map(Email::as_str),
            Some("ada@example.com")
        );
        assert_eq!(rows[2].line, 5);
        assert!(rows[2].memberships.is_empty());
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let data = b"email,name,groups,roles\n\
            not-an-email,Ada,Eng,learner\n\
            bob@example.com,,Eng,learner\n\
            cy@example.com,Cy,Eng;Sales,a;b;c\n\
            dee@example.com,Dee,Eng,owner\n\
            ok@example.com,Ok,Eng,learner\n\
            ok@example.com,Ok Again,Eng,learner\n";
        let parsed = parse(data);
        assert_eq!(
            parsed.rows.len(),
            1,
            "only ok@example.com's first row is good"
        );
        let errors = parsed.errors;
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 7]);
        assert!(errors[3].reason.contains("owner"));
        assert!(errors[4].reason.contains("more than once"));
    }

    #[test]
    fn emails_of_bad_rows_still_count_as_in_the_file() {
        let data = b"email,name,roles,manager_email\nbob@example.com,Bob,boss,\nann@example.com,Ann,,bob@example.com\n";
        let parsed = parse(data);
        assert_eq!(parsed.errors.len(), 1);
        assert!(
            parsed
                .mentioned
                .contains(&Email::parse("bob@example.com").expect("email"))
        );
    }

    #[test]
    fn a_missing_or_unknown_header_is_refused() {
        assert_eq!(parse(b"name\nAda\n").errors[0].line, 1);
        assert!(
            parse(b"email,name,shoe_size\n").errors[0]
                .reason
                .contains("shoe_size")
        );
    }
}
