//! An upload is sent in chunks (`domain::csv_import::chunks`) cut by the size of these lines on
//! the wire: tested here, beside the wire type.

use super::ImportLine;
use crate::domain::{csv_import::chunks::chunk_ends, invite::InviteeInput};

fn line(n: u32, name_len: usize) -> ImportLine {
    ImportLine {
        line: n,
        person: InviteeInput {
            email: format!("p{n}@example.com"),
            first_name: "x".repeat(name_len),
            last_name: String::new(),
        },
    }
}

fn ends(lines: &[ImportLine]) -> Vec<usize> {
    chunk_ends(lines.iter().map(|l| &l.person))
}

#[test]
fn chunks_hold_at_most_five_thousand_rows() {
    let lines: Vec<_> = (0..12_500).map(|n| line(n, 5)).collect();
    assert_eq!(ends(&lines), [5_000, 10_000, 12_500]);
}

#[test]
fn chunks_of_long_rows_stay_under_the_request_limit() {
    let lines: Vec<_> = (0..1_000).map(|n| line(n, 900)).collect();
    let ends = ends(&lines);
    assert!(ends.len() > 1, "{ends:?}");
    assert_eq!(*ends.last().unwrap(), 1_000);
    let mut start = 0;
    for end in ends {
        let bytes: usize = lines[start..end]
            .iter()
            .map(|l| serde_json::to_string(l).unwrap().len())
            .sum();
        assert!(bytes < 1024 * 1024, "{bytes} bytes in one chunk");
        start = end;
    }
}

#[test]
fn no_rows_no_chunks() {
    assert!(ends(&[]).is_empty());
}
