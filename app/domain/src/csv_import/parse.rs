//! Text → records: which delimiter the file uses (`,` `;` TAB `|`), then the `csv` crate's reader
//! core, `csv-core` (RFC 4180), with what people's files need around it: CR, LF or CRLF line ends,
//! blank lines kept with their line numbers, spaces around a quoted value, a quote in the middle
//! of an unquoted one kept as typed, and a quote that never closes named by its line.

use std::borrow::Cow;

use csv_core::ReadRecordResult;

pub const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

/// The file's rows, each with the line it starts on (from 1, as an editor counts). Every value's
/// text sits in one buffer: a file of 100,000 rows is a handful of allocations, not 400,000.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    text: String,
    /// Where each value ends in `text` (it starts where the one before it ends).
    ends: Vec<usize>,
    /// Per record: its line, and its first value's place in `ends`.
    starts: Vec<(usize, usize)>,
    /// How many records are not blank (counted as they are read).
    filled: usize,
}

/// `Records` being read: the CSV reader writes each record's values straight into `text` (sized
/// to the file: values are never longer than it), where a value to cut or unpad is rewritten; the
/// text is checked as UTF-8 once, at the end (each value is cut from text that is valid already;
/// checking each of a file's 300,000 values on its own was a tenth of the reading).
struct Builder {
    text: Vec<u8>,
    /// How much of `text` holds values.
    len: usize,
    ends: Vec<usize>,
    starts: Vec<(usize, usize)>,
    filled: usize,
}

impl Builder {
    fn for_input(bytes: usize) -> Builder {
        Builder {
            text: vec![0; bytes],
            len: 0,
            ends: Vec::new(),
            starts: Vec::new(),
            filled: 0,
        }
    }

    /// Where the reader writes next.
    fn spare(&mut self) -> &mut [u8] {
        &mut self.text[self.len..]
    }

    /// An empty line before the record the reader writes from `start`: one empty value.
    fn blank_line(&mut self, line: usize, start: usize) {
        self.starts.push((line, self.ends.len()));
        self.ends.push(start);
    }

    /// The record the reader wrote from `start`, its values ending at `ends` (counted from
    /// `start`); each value cut to `field_cap` bytes and unpadded.
    fn record(&mut self, line: usize, start: usize, ends: &[usize], field_cap: usize) {
        self.starts.push((line, self.ends.len()));
        let mut from = start;
        let as_read = ends.iter().all(|&end| {
            let value = &self.text[from..start + end];
            from = start + end;
            value.len() <= field_cap && !value.first().is_some_and(|&b| is_padding(b))
        });
        if !as_read {
            self.rewrite(start, ends, field_cap);
            return;
        }
        let mut from = start;
        let mut blank = true;
        for &end in ends {
            blank = blank && is_blank_value(&self.text[from..start + end]);
            from = start + end;
            self.ends.push(from);
        }
        self.filled += usize::from(!blank);
    }

    /// `record`'s rare case: a value too long or padded, the record's values written again.
    fn rewrite(&mut self, start: usize, ends: &[usize], field_cap: usize) {
        let mut values = Vec::with_capacity(ends.len());
        let mut from = start;
        for &end in ends {
            let value = unpadded(bounded(&self.text[from..start + end], field_cap));
            values.push(value.into_owned());
            from = start + end;
        }
        self.len = start;
        let mut blank = true;
        for value in values {
            self.text[self.len..self.len + value.len()].copy_from_slice(value.as_bytes());
            self.len += value.len();
            blank = blank && is_blank_value(value.as_bytes());
            self.ends.push(self.len);
        }
        self.filled += usize::from(!blank);
    }

    fn finish(self) -> Result<Records, ParseStop> {
        let Builder {
            mut text,
            len,
            ends,
            starts,
            filled,
        } = self;
        text.truncate(len);
        match String::from_utf8(text) {
            Ok(text) => Ok(Records {
                text,
                ends,
                starts,
                filled,
            }),
            // Cannot happen (see `bounded`); named by the line of the value, should it ever.
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let value = ends.partition_point(|&end| end <= at);
                let record = starts.partition_point(|&(_, first)| first <= value);
                let line = record
                    .checked_sub(1)
                    .and_then(|r| starts.get(r))
                    .map_or(1, |&(line, _)| line);
                Err(ParseStop::Unreadable { line })
            }
        }
    }
}

fn is_padding(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Empty or only white space (`str::trim`'s), looked at byte by byte while the first is ASCII.
fn is_blank_value(value: &[u8]) -> bool {
    match value.first() {
        None => true,
        Some(&b) if b.is_ascii() && !char::from(b).is_whitespace() => false,
        Some(_) => String::from_utf8_lossy(value).trim().is_empty(),
    }
}

/// One row of the file, borrowed from `Records`.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub line: usize,
    records: &'a Records,
    /// Its values' places in `ends`.
    first: usize,
    end: usize,
}

impl Records {
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<Record<'_>> {
        let &(line, first) = self.starts.get(i)?;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.ends.len(), |&(_, next)| next);
        Some(Record {
            line,
            records: self,
            first,
            end,
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = Record<'_>> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// How many records are not blank.
    pub fn filled(&self) -> usize {
        self.filled
    }

    /// The same records without the first `n`.
    pub fn skip(mut self, n: usize) -> Records {
        let n = n.min(self.len());
        if n > 0 {
            self.filled -= self.iter().take(n).filter(|r| !r.is_blank()).count();
            self.starts.drain(..n);
        }
        self
    }
}

impl<'a> Record<'a> {
    /// How many values the row has.
    pub fn len(&self) -> usize {
        self.end - self.first
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i`, if the row has that many.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let at = self.first + i;
        if at >= self.end {
            return None;
        }
        let from = if at == 0 {
            0
        } else {
            self.records.ends[at - 1]
        };
        Some(&self.records.text[from..self.records.ends[at]])
    }

    pub fn values(&self) -> impl Iterator<Item = &'a str> + 'a {
        let this = *self;
        (0..this.len()).filter_map(move |i| this.get(i))
    }

    /// Nothing but empty or blank fields (an empty line, or `,,`).
    pub fn is_blank(&self) -> bool {
        self.values().all(|f| f.trim().is_empty())
    }

    /// The values as owned strings (the column pickers' labels, tests).
    pub fn to_vec(&self) -> Vec<String> {
        self.values().map(str::to_owned).collect()
    }
}

/// How often `delimiter` separates fields on each of the first lines, quotes respected.
fn counts_per_line(text: &str, delimiter: char, lines: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut count = 0;
    let mut quoted = false;
    let mut blank = true;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => {
                if !blank {
                    counts.push(count);
                    if counts.len() == lines {
                        return counts;
                    }
                }
                count = 0;
                blank = true;
                continue;
            }
            c if c == delimiter && !quoted => count += 1,
            _ => {}
        }
        blank = false;
    }
    if !blank {
        counts.push(count);
    }
    counts
}

/// The delimiter that splits the first lines most consistently (the same number of fields on each
/// line wins over a higher but varying count); `,` when none splits anything.
pub fn detect_delimiter(text: &str) -> char {
    let mut best = (',', (false, 0usize));
    for d in DELIMITERS {
        let counts = counts_per_line(text, d, 20);
        let Some(&first) = counts.first() else {
            continue;
        };
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().all(|c| *c == first);
        let score = (consistent, first);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// What stops reading: a file-level problem with the line it was found on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseStop {
    TooManyColumns {
        line: usize,
        columns: usize,
    },
    TooManyRows,
    /// A double quote opened a value on `line` and the file ended before it closed: everything
    /// after it would be one value (and the people on those lines lost).
    UnclosedQuote {
        line: usize,
    },
    /// The CSV reader gave up at `line` (reading text in memory, it has no reason to).
    Unreadable {
        line: usize,
    },
}

/// How much `records` reads before it stops.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub columns: usize,
    /// Non-blank records.
    pub rows: usize,
    /// A value longer than this many characters is cut just past it (it is refused anyway), so
    /// the rows kept in memory stay small whatever the file holds.
    pub field_chars: usize,
}

/// `field` as text, cut to just over `cap` bytes (on a character boundary) when longer. The text
/// was decoded already, so a value is valid UTF-8 unless the cap cut one.
fn bounded(field: &[u8], cap: usize) -> Cow<'_, str> {
    let field = if field.len() > cap {
        let mut end = cap + 1;
        while end < field.len() && (field[end] & 0xC0) == 0x80 {
            end += 1;
        }
        &field[..end]
    } else {
        field
    };
    // `from_utf8` checks a valid value word by word; `from_utf8_lossy` byte by byte.
    match std::str::from_utf8(field) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(field),
    }
}

/// A value typed as `  "Pat"  `: the csv crate quotes only a value that starts with the quote, so
/// the spaces make it literal text; people mean the name inside.
fn unpadded(field: Cow<'_, str>) -> Cow<'_, str> {
    let padding = |c: char| u8::try_from(c).is_ok_and(is_padding);
    let inner = field.trim_matches(padding);
    if field.starts_with(padding)
        && inner.len() >= 2
        && inner.starts_with('"')
        && inner.ends_with('"')
    {
        Cow::Owned(inner[1..inner.len() - 1].replace("\"\"", "\""))
    } else {
        field
    }
}

/// True when the file ends inside a quoted `last` value: what is left of the file after the
/// opening quote is that value, its quotes doubled, and the quote opens a field (it follows the
/// start of the file, a line break or a delimiter).
fn ends_in_open_quote(text: &[u8], last: &[u8], delimiter: u8) -> bool {
    let mut open = Vec::with_capacity(last.len() + 1);
    open.push(b'"');
    for &b in last {
        open.push(b);
        if b == b'"' {
            open.push(b'"');
        }
    }
    text.ends_with(&open)
        && (text.len() == open.len()
            || matches!(text[text.len() - open.len() - 1], b'\n' | b'\r')
            || text[text.len() - open.len() - 1] == delimiter)
}

/// CRLF (what Excel writes) and a lone CR (old Mac) as LF, in one copy of the text when it has
/// any (`str::replace` searched for CRLF byte by byte: a third of the reading of such a file).
fn one_line_end(text: &str) -> Cow<'_, [u8]> {
    let Some(first) = text.find('\r') else {
        return Cow::Borrowed(text.as_bytes());
    };
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    let mut cr = Some(first);
    while let Some(at) = cr {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        out.push(b'\n');
        rest = &rest[at + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
        cr = rest.find('\r');
    }
    out.extend_from_slice(rest.as_bytes());
    Cow::Owned(out)
}

fn count_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Splits `text` into records with the `csv` crate (RFC 4180: quoted fields, doubled quotes, line
/// breaks inside quotes). Around it, what people's files need: a lone CR (old Mac) ends a line like
/// LF and CRLF do, and a line break inside quotes is read as one `\n`; blank lines stay as blank
/// records, each with its line number; spaces around a quoted value are padding; a quote that
/// never closes stops reading at the line it opened (it would swallow the rest of the file). Too
/// many columns or rows stop early, so a wrong file fails fast.
pub fn records(text: &str, delimiter: char, limits: Limits) -> Result<Records, ParseStop> {
    let Limits {
        columns: max_columns,
        rows: max_rows,
        field_chars,
    } = limits;
    // A character is at most 4 bytes: a value cut past this is still over `field_chars` characters.
    let field_cap = field_chars.saturating_mul(4).saturating_add(4);
    let text = one_line_end(text);
    let bytes = text.as_ref();
    let delimiter = u8::try_from(delimiter)
        .ok()
        .filter(u8::is_ascii)
        .unwrap_or(b',');
    // The `csv` crate's own reader core: the one `csv::Reader` runs, without its buffers, so
    // each value is written once, straight into the records' text.
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut out = Builder::for_input(bytes.len());
    // A record's value ends; past `max_columns` they are only counted.
    let mut ends = vec![0usize; max_columns + 1];
    // The next byte to read.
    let mut at = 0;
    loop {
        let from = at;
        // The line `from` is on (the reader counts the line ends it reads).
        let line = usize::try_from(reader.line()).unwrap_or(usize::MAX);
        let start = out.len;
        let (mut kept, mut counted) = (0, 0);
        let more = loop {
            let (result, read, written, ended) =
                reader.read_record(&bytes[at..], out.spare(), &mut ends[kept..]);
            at += read;
            out.len += written;
            kept += ended;
            match result {
                // The next call, with nothing left to read, ends the last record.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputEndsFull => {
                    counted += kept;
                    kept = 0;
                }
                // Cannot happen: the values are never longer than the file.
                ReadRecordResult::OutputFull => return Err(ParseStop::Unreadable { line }),
                ReadRecordResult::Record => break true,
                ReadRecordResult::End => break false,
            }
        };
        let consumed = &bytes[from..at];
        // The reader skips blank lines before a record (and after the last one): they stay, as
        // empty records, so every line keeps its number.
        let blank = if more {
            consumed.iter().take_while(|&&b| b == b'\n').count()
        } else {
            count_lines(consumed)
        };
        for i in 0..blank {
            out.blank_line(line + i, start);
        }
        if !more {
            break;
        }
        let record_line = line + blank;
        let columns = counted + kept;
        if columns > max_columns {
            return Err(ParseStop::TooManyColumns {
                line: record_line,
                columns,
            });
        }
        let ends = &ends[..kept];
        if at == bytes.len() {
            let last_from = ends.len().checked_sub(2).map_or(0, |i| ends[i]);
            let values = &out.text[start..out.len];
            if ends_in_open_quote(bytes, &values[last_from..], delimiter) {
                return Err(ParseStop::UnclosedQuote {
                    line: record_line + count_lines(&values[..last_from]),
                });
            }
        }
        out.record(record_line, start, ends, field_cap);
        if out.filled > max_rows {
            return Err(ParseStop::TooManyRows);
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(columns: usize, rows: usize) -> Limits {
        Limits {
            columns,
            rows,
            field_chars: 1_000,
        }
    }

    #[test]
    fn a_quote_that_never_closes_stops_reading_at_the_line_it_opened() {
        let text = "First,Last,Email\nAnn,Lee,ann@x.io\n\"Bob,Ray,bob@x.io\nCy,Do,cy@x.io\n";
        assert_eq!(
            records(text, ',', limits(64, 100)),
            Err(ParseStop::UnclosedQuote { line: 3 })
        );
        // Closed on a later line, it is one value with a line break, as RFC 4180 has it.
        let closed = "a,\"b\nc\",d\n";
        assert_eq!(
            records(closed, ',', limits(64, 100))
                .unwrap()
                .get(0)
                .unwrap()
                .to_vec(),
            ["a", "b\nc", "d"]
        );
    }

    #[test]
    fn a_huge_value_is_cut_yet_stays_longer_than_the_cap() {
        let huge = "é".repeat(3_000_000);
        let text = format!("Ann,{huge},ann@x.io\nBob,Ray,bob@x.io\n");
        let limits = Limits {
            columns: 64,
            rows: 100,
            field_chars: 1_000,
        };
        let read = records(&text, ',', limits).unwrap();
        let first = read.get(0).unwrap();
        let cut = first.get(1).unwrap();
        assert!(cut.chars().count() > 1_000, "still refused as too long");
        assert!(cut.len() <= 4 * 1_000 + 8, "{} bytes kept", cut.len());
        assert_eq!(first.get(2), Some("ann@x.io"));
        assert_eq!(read.get(1).unwrap().to_vec(), ["Bob", "Ray", "bob@x.io"]);
    }

    fn fields(text: &str, d: char) -> Vec<(usize, Vec<String>)> {
        records(text, d, limits(64, 1000))
            .unwrap()
            .iter()
            .map(|r| (r.line, r.to_vec()))
            .collect()
    }

    #[test]
    fn detects_the_delimiter_that_splits_consistently() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), ',');
        assert_eq!(
            detect_delimiter("Vorname;Nachname;E-Mail\r\nJ;M;j@x.de\r\n"),
            ';'
        );
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), '\t');
        assert_eq!(detect_delimiter("a|b\n1|2\n"), '|');
        // Commas inside quoted names do not count.
        assert_eq!(detect_delimiter("\"Lee, Ann\";x\n\"Kim, Pat\";y\n"), ';');
        assert_eq!(detect_delimiter("just one column\n"), ',');
        assert_eq!(detect_delimiter(""), ',');
    }

    #[test]
    fn reads_quotes_line_ends_and_line_numbers() {
        assert_eq!(
            fields("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n", ','),
            [
                (1, vec!["a".to_string(), "b".into()]),
                (2, vec!["x, y".into(), "say \"hi\"".into()]),
            ]
        );
        // A line break inside quotes; the next record's line number counts it.
        assert_eq!(
            fields("\"two\nlines\",b\nc,d", ','),
            [
                (1, vec!["two\nlines".to_string(), "b".into()]),
                (3, vec!["c".into(), "d".into()]),
            ]
        );
        // Old Mac line ends, a blank line, no final line end.
        assert_eq!(
            fields("a\rb\r\rc", ','),
            [
                (1, vec!["a".to_string()]),
                (2, vec!["b".into()]),
                (3, vec!["".into()]),
                (4, vec!["c".into()]),
            ]
        );
        // CRLF and a lone CR in one file; a CR before a CRLF is a line of its own.
        assert_eq!(
            fields("a\r\nb\rc\r\n", ','),
            [
                (1, vec!["a".to_string()]),
                (2, vec!["b".into()]),
                (3, vec!["c".into()]),
            ]
        );
        assert_eq!(
            fields("a\r\r\nb,\"x\r\ny\"", ','),
            [
                (1, vec!["a".to_string()]),
                (2, vec!["".into()]),
                (3, vec!["b".into(), "x\ny".into()]),
            ]
        );
        // Spaces around a quoted field; a stray quote inside an unquoted one is kept.
        assert_eq!(
            fields("  \"Pat\"  ,O\"Neil", ','),
            [(1, vec!["Pat".to_string(), "O\"Neil".into()])]
        );
        // An unclosed quote stops reading (it would swallow the rest of the file).
        assert_eq!(
            records("\"open,x\ny", ',', limits(64, 1000)),
            Err(ParseStop::UnclosedQuote { line: 1 })
        );
    }

    #[test]
    fn blank_lines_stay_as_empty_records_with_their_line_numbers() {
        assert_eq!(
            fields("a\n\n\nb,c\n\n", ','),
            [
                (1, vec!["a".to_string()]),
                (2, vec!["".into()]),
                (3, vec!["".into()]),
                (4, vec!["b".into(), "c".into()]),
                (5, vec!["".into()]),
            ]
        );
        assert_eq!(fields("\n", ','), [(1, vec!["".to_string()])]);
        assert_eq!(fields("", ','), []);
    }

    #[test]
    fn a_value_that_only_looks_like_an_open_quote_at_the_end_is_read() {
        // An empty quoted value, a quoted value followed by text, a closed multi-line value.
        assert_eq!(
            fields("a,\"\"", ','),
            [(1, vec!["a".to_string(), "".into()])]
        );
        assert_eq!(
            fields("a,\"\"bc", ','),
            [(1, vec!["a".to_string(), "bc".into()])]
        );
        assert_eq!(
            fields("a,\"b\nc\"\n", ','),
            [(1, vec!["a".to_string(), "b\nc".into()])]
        );
        // A quote opened in the second value of a record that began two lines earlier.
        assert_eq!(
            records("x\n\"a\nb\",\"open\nrest", ',', limits(64, 100)),
            Err(ParseStop::UnclosedQuote { line: 3 })
        );
        assert_eq!(
            records("a;\"", ';', limits(64, 100)),
            Err(ParseStop::UnclosedQuote { line: 1 })
        );
    }

    #[test]
    fn stops_at_the_column_and_row_caps() {
        let wide = vec!["x"; 65].join(",");
        assert_eq!(
            records(&format!("a\n{wide}\n"), ',', limits(64, 10)),
            Err(ParseStop::TooManyColumns {
                line: 2,
                columns: 65
            })
        );
        // Far more columns than are kept while reading: still counted exactly.
        let wider = vec!["x"; 1_000].join(",");
        assert_eq!(
            records(&format!("a\n\n{wider}"), ',', limits(64, 10)),
            Err(ParseStop::TooManyColumns {
                line: 3,
                columns: 1_000
            })
        );
        assert_eq!(
            records("a\nb\n\nc\n", ',', limits(64, 2)),
            Err(ParseStop::TooManyRows)
        );
        assert_eq!(
            records("a\nb\n\n", ',', limits(64, 2)).unwrap().len(),
            3,
            "blank lines do not count"
        );
    }
}
