//! Reading a learners file for "Upload CSV File": the very same functions run in the browser (the
//! preview, in WASM) and on the server (re-validation of what the browser sends), so the preview
//! and the enforcement cannot disagree. Bytes → text (`decode`) → records (`parse`) → which column
//! is what (`columns`) → one status per row (`check_rows`).

pub mod chunks;
pub mod columns;
pub mod decode;
pub mod parse;
pub mod seen;
pub mod write;

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

use serde::{Deserialize, Serialize};

pub use columns::{ColumnMap, HeaderGuess};
pub use decode::Encoding;
use parse::{ParseStop, Record, Records};
use seen::Seen;

use super::{
    invite::{InviteeFields, InviteeInput},
    invite_decision::OnFile,
    role::Role,
    trimmed,
};

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

impl RowStatus {
    /// The status in words, as the preview and the problems report show it.
    pub fn describe(&self) -> String {
        match self {
            RowStatus::Ready => "Ready".into(),
            RowStatus::Problem(reason) => reason.clone(),
            RowStatus::Duplicate { first_line } => {
                format!("Duplicate: the same email address is on line {first_line}")
            }
            RowStatus::Empty => "Empty row: skipped".into(),
        }
    }
}

/// One data row: where it is in the file and what becomes of it. What it says is read from the
/// file's records when asked for (`Preview::fields`): checking 100,000 rows copies no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub status: RowStatus,
    /// The admin's correction, when they fixed the row by hand.
    edited: Option<Box<InviteeInput>>,
}

/// The preview's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub ready: usize,
    pub problems: usize,
    pub duplicates: usize,
    pub empty: usize,
}

/// Checks rows one after another in file order with the invite form's rules (the same email rule
/// as everywhere); a repeated address (case aside) is a duplicate of the line it first appeared on.
/// Kept between calls so a long file can be checked in slices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowChecker {
    caps: Caps,
    seen: Seen,
}

impl RowChecker {
    pub fn new(caps: Caps) -> RowChecker {
        Self::with_capacity(caps, 0)
    }

    /// For about `rows` rows (the table of addresses seen is made that big at once).
    pub fn with_capacity(caps: Caps, rows: usize) -> RowChecker {
        RowChecker {
            caps,
            seen: Seen::with_capacity(rows),
        }
    }

    pub fn check(&mut self, line: usize, person: InviteeFields<'_>) -> RowStatus {
        let fields = [person.email, person.first_name, person.last_name];
        if fields.iter().all(|f| trimmed(f).is_empty()) {
            return RowStatus::Empty;
        }
        // A field's bytes are at least its characters: only long ones need counting.
        if fields.iter().any(|f| {
            f.len() > self.caps.max_field_chars && f.chars().count() > self.caps.max_field_chars
        }) {
            return RowStatus::Problem(format!(
                "A value in this row is longer than {} characters",
                thousands(self.caps.max_field_chars)
            ));
        }
        match person.check_address() {
            Err(reason) => RowStatus::Problem(reason),
            Ok(address) => match self.seen.first_line(&address, line) {
                Some(first_line) => RowStatus::Duplicate { first_line },
                None => RowStatus::Ready,
            },
        }
    }
}

/// Checks whole rows at once (the server's re-validation of a chunk).
pub fn check_rows(rows: &[(usize, InviteeInput)], caps: &Caps) -> Vec<RowStatus> {
    let mut checker = RowChecker::new(*caps);
    rows.iter()
        .map(|(line, person)| checker.check(*line, person.fields()))
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

/// A file read for the preview. `open` reads the records; the rows are checked by `check_more`, a
/// slice at a time, so a browser can paint and stay responsive in between (`read` does it all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub encoding: Encoding,
    pub delimiter: char,
    pub header: HeaderGuess,
    /// The columns in use (from the header, the reference order, or the admin's choice).
    pub map: ColumnMap,
    /// The data rows checked so far, in file order (none while a column is missing).
    pub rows: Vec<ImportRow>,
    /// Things worth knowing that are not problems (the encoding, ignored columns, no header).
    pub notes: Vec<String>,
    records: Records,
    /// 1 when the first record is the header.
    data_from: usize,
    checker: RowChecker,
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

    /// How many data rows the file has (checked or not).
    pub fn total(&self) -> usize {
        self.records.len() - self.data_from
    }

    /// Every row is checked (or cannot be, because a column is missing).
    pub fn is_checked(&self) -> bool {
        self.map.missing().is_some() || self.rows.len() == self.total()
    }

    /// Checks up to `budget` more rows; true when every row is checked.
    ///
    /// Never inlined, as `open`: inlined into the page's code (compiled for size), the loops are
    /// compiled for size too. Measured in Chromium (100,000 rows, `make bench`'s CSV row, two
    /// alternating runs of seven each): the preview's work 41.2 and 41.9 ms inlined, 37.7 and
    /// 37.9 ms not.
    #[inline(never)]
    pub fn check_more(&mut self, budget: usize) -> bool {
        if self.map.missing().is_some() {
            return true;
        }
        let from = self.data_from + self.rows.len();
        let to = from.saturating_add(budget).min(self.records.len());
        let header_width = self.header_width();
        for record in (from..to).filter_map(|i| self.records.get(i)) {
            let status = self.checker.check(record.line, fields_of(record, self.map));
            let status = explain(status, record, self.map, header_width);
            self.rows.push(ImportRow {
                line: record.line,
                status,
                edited: None,
            });
        }
        self.is_checked()
    }

    /// The admin chose the columns: the rows are read again with `map` (the header row, if there
    /// was one, stays out) as `check_more` is called; hand corrections are dropped.
    pub fn set_map(&mut self, map: ColumnMap) {
        self.map = map;
        self.rows.clear();
        self.checker = RowChecker::with_capacity(self.checker.caps, self.total());
    }

    /// `set_map` and check every row.
    pub fn remap(&mut self, map: ColumnMap) {
        self.set_map(map);
        self.check_more(usize::MAX);
    }

    /// The admin corrected row `index` (of `rows`): every row is checked again, since a fixed
    /// address can end or start a duplicate elsewhere.
    pub fn edit(&mut self, index: usize, person: InviteeInput) {
        let Some(row) = self.rows.get_mut(index) else {
            return;
        };
        row.edited = Some(Box::new(person));
        let header_width = self.header_width();
        self.checker = RowChecker::with_capacity(self.checker.caps, self.rows.len());
        for (i, row) in self.rows.iter_mut().enumerate() {
            let record = self.records.get(self.data_from + i);
            row.status = match (&row.edited, record) {
                // A corrected row's column count no longer explains anything.
                (Some(edited), _) => self.checker.check(row.line, edited.fields()),
                (None, Some(record)) => {
                    let status = self.checker.check(row.line, fields_of(record, self.map));
                    explain(status, record, self.map, header_width)
                }
                (None, None) => self.checker.check(row.line, InviteeFields::default()),
            };
        }
    }

    /// What row `index` says: the file's values in the chosen columns, trimmed, or the admin's
    /// correction as typed.
    pub fn fields(&self, index: usize) -> InviteeFields<'_> {
        match self.rows.get(index) {
            Some(ImportRow {
                edited: Some(edited),
                ..
            }) => edited.fields(),
            _ => self
                .records
                .get(self.data_from + index)
                .map(|record| fields_of(record, self.map))
                .unwrap_or_default(),
        }
    }

    /// The downloadable problems report: every row that will not be invited (empty rows aside),
    /// with its line and reason, formula-neutralised.
    pub fn problems_report(&self) -> String {
        let head = [
            "Line",
            "First name",
            "Last name",
            "Email address",
            "Problem",
        ]
        .map(String::from);
        write::to_csv(
            std::iter::once(head.to_vec()).chain(self.left_out().map(|(i, r)| {
                let person = self.fields(i);
                vec![
                    r.line.to_string(),
                    person.first_name.to_owned(),
                    person.last_name.to_owned(),
                    person.email.to_owned(),
                    r.status.describe(),
                ]
            })),
        )
    }

    /// The rows that will be invited, with their places in `rows`.
    pub fn ready(&self) -> impl Iterator<Item = (usize, &ImportRow)> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.status == RowStatus::Ready)
    }

    /// The rows that will not be invited, empty ones aside (problems and duplicates), with their
    /// places in `rows`.
    pub fn left_out(&self) -> impl Iterator<Item = (usize, &ImportRow)> {
        self.rows.iter().enumerate().filter(|(_, r)| {
            matches!(
                r.status,
                RowStatus::Problem(_) | RowStatus::Duplicate { .. }
            )
        })
    }

    /// The number of columns of the widest row (for the column pickers).
    pub fn width(&self) -> usize {
        self.records.iter().map(|r| r.len()).max().unwrap_or(0)
    }

    /// The first row as the file has it (the header, or the first data row).
    pub fn first_row(&self) -> Vec<String> {
        self.records.get(0).map(|r| r.to_vec()).unwrap_or_default()
    }

    /// The header row's number of columns, if there is one.
    fn header_width(&self) -> Option<usize> {
        (self.data_from == 1).then(|| self.records.get(0).map_or(0, |r| r.len()))
    }
}

fn fields_of(record: Record<'_>, map: ColumnMap) -> InviteeFields<'_> {
    let cell = |column: Option<usize>| column.and_then(|c| record.get(c)).map_or("", trimmed);
    InviteeFields {
        email: cell(map.email),
        first_name: cell(map.first_name),
        last_name: cell(map.last_name),
    }
}

/// A problem the row's shape explains better than the field rule. `header_width`: the header
/// row's number of columns, if there is one.
fn explain(
    status: RowStatus,
    record: Record<'_>,
    map: ColumnMap,
    header_width: Option<usize>,
) -> RowStatus {
    match (&status, map.email) {
        // A row too short to have an email cell says so, rather than "Enter an email address".
        (RowStatus::Problem(_), Some(e)) if record.len() <= e && !record.is_blank() => {
            RowStatus::Problem(format!(
                "No email address: this row has only {} column{}",
                record.len(),
                if record.len() == 1 { "" } else { "s" }
            ))
        }
        // More columns than the header and not valid: most likely a comma inside an unquoted
        // value (a name, a formula) shifted the columns.
        (RowStatus::Problem(reason), _) if header_width.is_some_and(|w| record.len() > w) => {
            RowStatus::Problem(format!(
                "{reason} — this row has {} columns but the header has {}: a comma inside a value must be in double quotes",
                record.len(),
                header_width.unwrap_or_default()
            ))
        }
        _ => status,
    }
}

/// Which of the file's addresses the academy knows already (the server's answer to one look-up),
/// for `invite_decision::decide`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known(HashMap<String, OnFile, FxBuildHasher>);

impl Known {
    /// Addresses with an account and with a pending invitation, each with its role.
    pub fn new(accounts: Vec<(String, Role)>, pending: Vec<(String, Role)>) -> Known {
        let mut known: HashMap<String, OnFile, FxBuildHasher> = HashMap::default();
        for (email, role) in accounts {
            known.entry(email.to_lowercase()).or_default().account = Some((role, ()));
        }
        for (email, role) in pending {
            known.entry(email.to_lowercase()).or_default().pending = Some((role, ()));
        }
        Known(known)
    }

    /// What is on file for `email` as the row has it (any case, spaces around).
    /// The preview asks for every row each time it counts them, so an empty answer (before the
    /// server's, or nothing known) is given without lowercasing anything.
    pub fn of(&self, email: &str) -> OnFile {
        if self.0.is_empty() {
            return OnFile::default();
        }
        self.0
            .get(&trimmed(email).to_lowercase())
            .cloned()
            .unwrap_or_default()
    }
}

fn delimiter_name(d: char) -> &'static str {
    match d {
        ';' => "semicolons",
        '\t' => "tabs",
        '|' => "vertical bars (|)",
        _ => "commas",
    }
}

/// A file of `len` bytes can be read (checked before reading it, so a huge file is refused at once).
pub fn check_size(len: usize, caps: &Caps) -> Result<(), String> {
    if len == 0 {
        return Err(
            "The file is empty. Choose the file again, or fill in the template first.".into(),
        );
    }
    if len > caps.max_bytes {
        return Err(format!(
            "The file is {}; at most {} can be uploaded at once. Split it into smaller files.",
            size(len),
            size(caps.max_bytes)
        ));
    }
    Ok(())
}

/// Reads an uploaded file and checks every row. `Err` is a message about the whole file (empty,
/// too big, unreadable, no learners); problems of single rows are in the rows.
pub fn read(bytes: &[u8], caps: &Caps) -> Result<Preview, String> {
    let mut preview = open(bytes.to_vec(), caps)?;
    preview.check_more(usize::MAX);
    Ok(preview)
}

/// Reads an uploaded file into records and finds its columns; the rows are checked by
/// `Preview::check_more`. Never inlined (see `check_more`).
#[inline(never)]
pub fn open(bytes: Vec<u8>, caps: &Caps) -> Result<Preview, String> {
    check_size(bytes.len(), caps)?;
    let (text, encoding) = decode::decode(bytes)?;
    let delimiter = parse::detect_delimiter(&text);
    let limits = parse::Limits {
        columns: caps.max_columns,
        rows: caps.max_rows + 1,
        field_chars: caps.max_field_chars,
    };
    let records = parse::records(&text, delimiter, limits)
        .map_err(|stop| match stop {
            ParseStop::UnclosedQuote { line } => format!(
                "Line {line}: a double quote (\") opens a value that never closes, so every line after it would be read as part of that one value. Close the quote or remove it, then choose the file again."
            ),
            ParseStop::TooManyColumns { line, columns } => format!(
                "Line {line} has {columns} columns; a learners file has at most {}. Is this the right file?",
                caps.max_columns
            ),
            ParseStop::Unreadable { line } => format!(
                "Line {line} could not be read as CSV. Save the file again as CSV (comma or semicolon separated) and choose it again."
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
    let header = columns::guess_header(&first.to_vec());
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
    let records = records.skip(start);
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
    // The first record is not blank: the header, when there is one.
    let people = records.filled().saturating_sub(data_from);
    if people == 0 {
        return Err("The file has no learners: it holds only a header row.".into());
    }
    if people > caps.max_rows {
        return Err(format!(
            "The file has more than {} rows; split it into files of at most {} learners.",
            thousands(caps.max_rows),
            thousands(caps.max_rows)
        ));
    }
    let rows = records.len();
    Ok(Preview {
        encoding,
        delimiter,
        header,
        map,
        rows: Vec::with_capacity(rows),
        notes,
        records,
        data_from,
        checker: RowChecker::with_capacity(*caps, rows),
    })
}

#[cfg(test)]
mod tests;
