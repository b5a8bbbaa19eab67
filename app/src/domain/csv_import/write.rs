//! Rows → CSV text for the downloadable reports (problems, results): RFC 4180 quoting, CRLF line
//! ends, a UTF-8 BOM so Excel reads accents right, and every cell that a spreadsheet would run as
//! a formula (`=`, `+`, `-`, `@`, TAB or CR first) neutralised with a leading `'` (OWASP's advice
//! against CSV injection).

/// A cell as a spreadsheet will show it, never as a formula.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r', ';', '\t'])
        || cell.starts_with(' ')
        || cell.ends_with(' ')
    {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// What a file starts with so that Excel reads it as UTF-8.
pub const BOM: &str = "\u{feff}";

/// One row, each cell neutralised and quoted when needed, onto `out`, ending in CRLF.
pub fn push_line<C>(out: &mut String, row: C)
where
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    for (i, cell) in row.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(&neutralise(cell.as_ref())));
    }
    out.push_str("\r\n");
}

/// A whole file: a BOM, then one line per row.
pub fn to_csv<R, C>(rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut out = String::from(BOM);
    for row in rows {
        push_line(&mut out, row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
