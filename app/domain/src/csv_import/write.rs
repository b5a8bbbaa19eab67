//! Rows → CSV text for the downloadable reports (problems, results, lists): the `csv` crate's
//! writer (RFC 4180 quoting, CRLF line ends), a UTF-8 BOM so Excel reads accents right, and every
//! cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, TAB or CR first)
//! neutralised with a leading `'` (OWASP's advice against CSV injection).

/// A cell as a spreadsheet will show it, never as a formula.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// What a file starts with so that Excel reads it as UTF-8.
const BOM: &str = "\u{feff}";

/// CSV text being written by the `csv` crate (quotes where a cell needs them, CRLF line ends),
/// every cell neutralised.
pub struct CsvText {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvText {
    /// A part of a file that continues another (no BOM).
    pub fn new() -> Self {
        Self::after(Vec::new())
    }

    /// The start of a file: the BOM.
    pub fn with_bom() -> Self {
        Self::after(BOM.as_bytes().to_vec())
    }

    fn after(start: Vec<u8>) -> Self {
        Self {
            // Flexible: a report's sections have rows of different widths (Statistics).
            writer: csv::WriterBuilder::new()
                .flexible(true)
                .terminator(csv::Terminator::CRLF)
                .from_writer(start),
        }
    }

    /// One row, each cell neutralised.
    pub fn push<C>(&mut self, row: C)
    where
        C: IntoIterator,
        C::Item: AsRef<str>,
    {
        // Writing into memory cannot fail: no I/O, and any width is accepted (`flexible`).
        let _ = self
            .writer
            .write_record(row.into_iter().map(|cell| neutralise(cell.as_ref())));
    }

    pub fn finish(self) -> String {
        // A Vec takes every byte, so flushing into it cannot fail; the cells were text.
        let bytes = self
            .writer
            .into_inner()
            .map_err(|e| e.into_error())
            .unwrap_or_default();
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

impl Default for CsvText {
    fn default() -> Self {
        Self::new()
    }
}

/// A whole file: a BOM, then one line per row.
pub fn to_csv<R, C>(rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut out = CsvText::with_bom();
    for row in rows {
        out.push(row);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_different_widths_each_end_their_line_and_an_empty_row_is_one_empty_value() {
        assert_eq!(
            to_csv([
                vec!["Statistics", "acme"],
                vec!["Team", "Learners", "Pending"],
                vec![]
            ]),
            "\u{feff}Statistics,acme\r\nTeam,Learners,Pending\r\n\"\"\r\n"
        );
        let mut part = CsvText::new();
        part.push(["a"]);
        part.push(["b", "c"]);
        assert_eq!(part.finish(), "a\r\nb,c\r\n");
    }

    #[test]
    fn formulas_are_neutralised_and_awkward_cells_quoted() {
        let csv = to_csv([
            vec!["Line", "Reason"],
            vec!["2", "=HYPERLINK(\"http://evil.example\",\"x\")"],
            vec!["3", "-2+3"],
            vec!["4", "Mary, Jr."],
            vec!["5", "plain"],
        ]);
        assert_eq!(
            csv,
            "\u{feff}Line,Reason\r\n2,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"\r\n3,'-2+3\r\n4,\"Mary, Jr.\"\r\n5,plain\r\n"
        );
    }
}
