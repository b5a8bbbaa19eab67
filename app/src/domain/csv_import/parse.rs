//! Text → records: the delimiter (`,` `;` TAB `|`), RFC 4180 quoting (quoted fields, doubled
//! quotes, line breaks inside quotes), and CRLF, LF or CR line ends. Lenient where people's files
//! are: spaces around a quoted field, a quote in the middle of an unquoted one.

pub const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

/// One row of the file and the line it starts on (from 1, as an editor counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

impl Record {
    /// Nothing but empty or blank fields (an empty line, or `,,`).
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
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
}

/// How much `records` reads before it stops.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub columns: usize,
    /// Non-blank records.
    pub rows: usize,
    /// A value longer than this many characters is cut just past it while reading (it is refused
    /// anyway), so a huge value does not fill the memory first.
    pub field_chars: usize,
}

/// Appends `run` to `field`, keeping only enough of it to still be longer than `cap` bytes.
fn push_bounded(field: &mut String, run: &str, cap: usize) {
    if field.len() > cap {
        return;
    }
    let mut end = (cap + 1 - field.len()).min(run.len());
    while !run.is_char_boundary(end) {
        end += 1;
    }
    field.push_str(&run[..end]);
}

/// Splits `text` into records. Too many columns or rows stop early, so a wrong file fails fast
/// instead of filling the memory.
pub fn records(text: &str, delimiter: char, limits: Limits) -> Result<Vec<Record>, ParseStop> {
    let Limits {
        columns: max_columns,
        rows: max_rows,
        field_chars,
    } = limits;
    // A character is at most 4 bytes: a value cut past this is still over `field_chars` characters.
    let field_cap = field_chars.saturating_mul(4).saturating_add(4);
    let mut out = Vec::new();
    let mut rows = 0usize;
    let mut width = 4;
    let mut fields: Vec<String> = Vec::with_capacity(width);
    let mut field = String::new();
    let mut quoted = false;
    // The current field began with a quote (after optional spaces) and it has closed.
    let mut was_quoted = false;
    let mut line = 1usize;
    let mut record_line = 1usize;
    // Where the open quote began.
    let mut quote_line = 1usize;
    let mut finish_record = |fields: &mut Vec<String>,
                             field: &mut String,
                             record_line: usize|
     -> Result<(), ParseStop> {
        fields.push(std::mem::take(field));
        width = width.max(fields.len());
        let record = Record {
            line: record_line,
            fields: std::mem::replace(fields, Vec::with_capacity(width)),
        };
        if record.fields.len() > max_columns {
            return Err(ParseStop::TooManyColumns {
                line: record_line,
                columns: record.fields.len(),
            });
        }
        if !record.is_blank() {
            rows += 1;
            if rows > max_rows {
                return Err(ParseStop::TooManyRows);
            }
        }
        out.push(record);
        Ok(())
    };
    // Every character that means something here is ASCII, so a byte position found by looking for
    // one is always a character boundary: the plain runs in between are copied whole.
    let bytes = text.as_bytes();
    let delimiter_byte = u8::try_from(delimiter).ok().filter(u8::is_ascii);
    let next_special = |from: usize, in_quotes: bool| {
        bytes[from..]
            .iter()
            .position(|&b| {
                b == b'"' || b == b'\r' || b == b'\n' || (!in_quotes && Some(b) == delimiter_byte)
            })
            .map_or(bytes.len(), |p| from + p)
    };
    let mut i = 0;
    while i < bytes.len() {
        if quoted || !was_quoted {
            let j = next_special(i, quoted);
            if j > i {
                push_bounded(&mut field, &text[i..j], field_cap);
                i = j;
                continue;
            }
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        let peek = bytes.get(i).copied();
        if quoted {
            match c {
                '"' if peek == Some(b'"') => {
                    i += 1;
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    was_quoted = true;
                }
                '\r' => {
                    // A line break inside quotes is part of the value, as one '\n'.
                    if peek == Some(b'\n') {
                        i += 1;
                    }
                    line += 1;
                    field.push('\n');
                }
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if !was_quoted && field.trim().is_empty() => {
                field.clear();
                quoted = true;
                quote_line = line;
            }
            c if c == delimiter => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' | '\n' => {
                if c == '\r' && peek == Some(b'\n') {
                    i += 1;
                }
                finish_record(&mut fields, &mut field, record_line)?;
                was_quoted = false;
                line += 1;
                record_line = line;
            }
            // Spaces after a closing quote are padding; anything else is kept as typed.
            c if was_quoted && c.is_whitespace() => {}
            c => field.push(c),
        }
    }
    if quoted {
        return Err(ParseStop::UnclosedQuote { line: quote_line });
    }
    if !field.is_empty() || !fields.is_empty() {
        finish_record(&mut fields, &mut field, record_line)?;
    }
    Ok(out)
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
            records(closed, ',', limits(64, 100)).unwrap()[0].fields,
            ["a", "b\nc", "d"]
        );
    }

    #[test]
    fn a_huge_value_is_cut_while_reading_yet_stays_longer_than_the_cap() {
        let huge = "é".repeat(3_000_000);
        let text = format!("Ann,{huge},ann@x.io\nBob,Ray,bob@x.io\n");
        let limits = Limits {
            columns: 64,
            rows: 100,
            field_chars: 1_000,
        };
        let read = records(&text, ',', limits).unwrap();
        let cut = &read[0].fields[1];
        assert!(cut.chars().count() > 1_000, "still refused as too long");
        assert!(cut.len() <= 4 * 1_000 + 8, "{} bytes kept", cut.len());
        assert_eq!(read[0].fields[2], "ann@x.io");
        assert_eq!(read[1].fields, ["Bob", "Ray", "bob@x.io"]);
    }

    fn fields(text: &str, d: char) -> Vec<(usize, Vec<String>)> {
        records(text, d, limits(64, 1000))
            .unwrap()
            .into_iter()
            .map(|r| (r.line, r.fields))
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
    fn stops_at_the_column_and_row_caps() {
        let wide = vec!["x"; 65].join(",");
        assert_eq!(
            records(&format!("a\n{wide}\n"), ',', limits(64, 10)),
            Err(ParseStop::TooManyColumns {
                line: 2,
                columns: 65
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
