//! Reading a learners file for "Upload CSV File": the very same functions run in the browser (the
//! preview, in WASM) and on the server (re-validation of what the browser sends), so the preview
//! and the enforcement cannot disagree. Bytes → text (`decode`) → records (`parse`) → which column
//! is what (`columns`) → one status per row (`check_rows`).

pub mod columns;
pub mod decode;
pub mod parse;
pub mod write;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use columns::{ColumnMap, HeaderGuess};
pub use decode::Encoding;
use parse::{ParseStop, Record};

use super::invite::InviteeInput;

/// What one upload may hold. The server owns the numbers and tells the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caps {
    pub max_bytes: usize,
    pub max_rows: usize,
    pub max_columns: usize,
    pub max_field_chars: usize,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            max_bytes: 10 * 1024 * 1024,
            max_rows: 100_000,
            max_columns: 64,
            max_field_chars: 1_000,
        }
    }
}

/// What became of one row of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum RowStatus {
    /// Valid: will be invited.
    Ready,
    /// Cannot be invited; the reason, in words for the admin.
    Problem(String),
    /// The same email address (case aside) is on an earlier line.
    Duplicate { first_line: usize },
    /// Nothing in it (an empty line, or only separators): skipped.
    Empty,
}

/// One data row: where it is in the file, what it says, and what becomes of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub line: usize,
    pub person: InviteeInput,
    pub status: RowStatus,
}

/// The preview's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub ready: usize,
    pub problems: usize,
    pub duplicates: usize,
    pub empty: usize,
}

/// Checks rows in file order with the invite form's rules (the same email rule as everywhere);
/// a repeated address (case aside) is a duplicate of the line it first appeared on.
pub fn check_rows(rows: &[(usize, InviteeInput)], caps: &Caps) -> Vec<RowStatus> {
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    rows.iter()
        .map(|(line, person)| {
            let fields = [&person.email, &person.first_name, &person.last_name];
            if fields.iter().all(|f| f.trim().is_empty()) {
                return RowStatus::Empty;
            }
            if fields
                .iter()
                .any(|f| f.chars().count() > caps.max_field_chars)
            {
                return RowStatus::Problem(format!(
                    "A value in this row is longer than {} characters",
                    thousands(caps.max_field_chars)
                ));
            }
            match person.parse() {
                Err(reason) => RowStatus::Problem(reason),
                Ok(valid) => match first_seen.get(valid.email.as_str()) {
                    Some(first_line) => RowStatus::Duplicate {
                        first_line: *first_line,
                    },
                    None => {
                        first_seen.insert(valid.email.as_str().to_string(), *line);
                        RowStatus::Ready
                    }
                },
            }
        })
        .collect()
}

/// `10 MB`, `1.5 MB`, `12 KB`, `100 bytes`.
pub fn size(bytes: usize) -> String {
    let trim = |x: f64| {
        let s = format!("{x:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    };
    match bytes {
        b if b >= 1_048_576 => format!("{} MB", trim(b as f64 / 1_048_576.0)),
        b if b >= 1_024 => format!("{} KB", trim(b as f64 / 1_024.0)),
        b => format!("{b} bytes"),
    }
}

/// `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A file read for the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub encoding: Encoding,
    pub delimiter: char,
    pub header: HeaderGuess,
    /// The columns in use (from the header, the reference order, or the admin's choice).
    pub map: ColumnMap,
    /// Every data row, in file order (empty until the columns are known).
    pub rows: Vec<ImportRow>,
    /// Things worth knowing that are not problems (the encoding, ignored columns, no header).
    pub notes: Vec<String>,
    records: Vec<Record>,
}

impl Preview {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.rows {
            match r.status {
                RowStatus::Ready => c.ready += 1,
                RowStatus::Problem(_) => c.problems += 1,
                RowStatus::Duplicate { .. } => c.duplicates += 1,
                RowStatus::Empty => c.empty += 1,
            }
        }
        c
    }

    /// The admin chose the columns: read the rows again with `map` (the header row, if there was
    /// one, stays out).
    pub fn remap(&mut self, map: ColumnMap, caps: &Caps) {
        self.map = map;
        let header = matches!(self.header, HeaderGuess::Header { .. });
        let width = header.then(|| self.records[0].fields.len());
        self.rows = rows_with(&self.records[usize::from(header)..], map, width, caps);
    }

    /// The number of columns of the widest row (for the column pickers).
    pub fn width(&self) -> usize {
        self.records
            .iter()
            .map(|r| r.fields.len())
            .max()
            .unwrap_or(0)
    }

    /// The first row as the file has it (the header, or the first data row).
    pub fn first_row(&self) -> &[String] {
        self.records
            .first()
            .map(|r| r.fields.as_slice())
            .unwrap_or(&[])
    }
}

fn cell(fields: &[String], column: Option<usize>) -> String {
    column
        .and_then(|c| fields.get(c))
        .map(|f| f.trim().to_string())
        .unwrap_or_default()
}

/// `header_width`: the header row's number of columns, if there is one.
fn rows_with(
    records: &[Record],
    map: ColumnMap,
    header_width: Option<usize>,
    caps: &Caps,
) -> Vec<ImportRow> {
    if map.missing().is_some() {
        return vec![];
    }
    let people: Vec<(usize, InviteeInput)> = records
        .iter()
        .map(|r| {
            (
                r.line,
                InviteeInput {
                    email: cell(&r.fields, map.email),
                    first_name: cell(&r.fields, map.first_name),
                    last_name: cell(&r.fields, map.last_name),
                },
            )
        })
        .collect();
    let statuses = check_rows(&people, caps);
    people
        .into_iter()
        .zip(statuses)
        .zip(records)
        .map(|(((line, person), status), record)| {
            // A row too short to have an email cell says so, rather than "Enter an email address".
            let status = match (&status, map.email) {
                (RowStatus::Problem(_), Some(e))
                    if record.fields.len() <= e && !record.is_blank() =>
                {
                    RowStatus::Problem(format!(
                        "No email address: this row has only {} column{}",
                        record.fields.len(),
                        if record.fields.len() == 1 { "" } else { "s" }
                    ))
                }
                // More columns than the header and not valid: most likely a comma inside an
                // unquoted value (a name, a formula) shifted the columns.
                (RowStatus::Problem(reason), _)
                    if header_width.is_some_and(|w| record.fields.len() > w) =>
                {
                    RowStatus::Problem(format!(
                        "{reason} — this row has {} columns but the header has {}: a comma inside a value must be in double quotes",
                        record.fields.len(),
                        header_width.unwrap_or_default()
                    ))
                }
                _ => status,
            };
            ImportRow {
                line,
                person,
                status,
            }
        })
        .collect()
}

fn delimiter_name(d: char) -> &'static str {
    match d {
        ';' => "semicolons",
        '\t' => "tabs",
        '|' => "vertical bars (|)",
        _ => "commas",
    }
}

/// Reads an uploaded file for the preview. `Err` is a message about the whole file (empty, too
/// big, unreadable, no learners); problems of single rows are in the rows.
pub fn read(bytes: &[u8], caps: &Caps) -> Result<Preview, String> {
    if bytes.is_empty() {
        return Err(
            "The file is empty. Choose the file again, or fill in the template first.".into(),
        );
    }
    if bytes.len() > caps.max_bytes {
        return Err(format!(
            "The file is {}; at most {} can be uploaded at once. Split it into smaller files.",
            size(bytes.len()),
            size(caps.max_bytes)
        ));
    }
    let (text, encoding) = decode::decode(bytes)?;
    let delimiter = parse::detect_delimiter(&text);
    let records = parse::records(&text, delimiter, caps.max_columns, caps.max_rows + 1)
        .map_err(|stop| match stop {
            ParseStop::TooManyColumns { line, columns } => format!(
                "Line {line} has {columns} columns; a learners file has at most {}. Is this the right file?",
                caps.max_columns
            ),
            ParseStop::TooManyRows => format!(
                "The file has more than {} rows; split it into files of at most {} learners.",
                thousands(caps.max_rows),
                thousands(caps.max_rows)
            ),
        })?;
    let Some(first) = records.iter().find(|r| !r.is_blank()) else {
        return Err("The file has no learners: it holds only empty lines.".into());
    };
    let header = columns::guess_header(&first.fields);
    let mut notes = Vec::new();
    if encoding == Encoding::Windows1252 {
        notes.push(
            "The file is not UTF-8; it was read as Windows-1252 (Western European), as older Excel saves it. Check that names with accents look right below."
                .to_string(),
        );
    }
    if delimiter != ',' {
        notes.push(format!(
            "Columns are separated by {}.",
            delimiter_name(delimiter)
        ));
    }
    // Leading blank lines belong to nobody.
    let start = records.iter().position(|r| !r.is_blank()).unwrap_or(0);
    let records: Vec<Record> = records.into_iter().skip(start).collect();
    let (map, data_from) = match &header {
        HeaderGuess::Header { map, ignored } => {
            if !ignored.is_empty() {
                notes.push(format!(
                    "Ignored column{}: {}.",
                    if ignored.len() == 1 { "" } else { "s" },
                    ignored.join(", ")
                ));
            }
            (*map, 1)
        }
        HeaderGuess::NoHeader => {
            notes.push(
                "No header row: the columns are read as First name, Last name, Email address."
                    .into(),
            );
            (ColumnMap::REFERENCE, 0)
        }
        HeaderGuess::Unknown => (ColumnMap::default(), 0),
    };
    if records[data_from..].iter().all(Record::is_blank) {
        return Err("The file has no learners: it holds only a header row.".into());
    }
    if records[data_from..]
        .iter()
        .filter(|r| !r.is_blank())
        .count()
        > caps.max_rows
    {
        return Err(format!(
            "The file has more than {} rows; split it into files of at most {} learners.",
            thousands(caps.max_rows),
            thousands(caps.max_rows)
        ));
    }
    let width = (data_from == 1).then(|| records[0].fields.len());
    let rows = rows_with(&records[data_from..], map, width, caps);
    Ok(Preview {
        encoding,
        delimiter,
        header,
        map,
        rows,
        notes,
        records,
    })
}

#[cfg(test)]
mod tests;
