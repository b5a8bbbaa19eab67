//! Every file of the corpus admins really upload (`app/testdata/csv/`, a copy of the shared corpus)
//! gives the outcome its README states.

use super::*;

fn file(name: &str) -> Vec<u8> {
    let path = format!("{}/../testdata/csv/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn preview(name: &str) -> Preview {
    read(&file(name), &Caps::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The ready rows as "First Last <email>".
fn ready(p: &Preview) -> Vec<String> {
    p.rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status == RowStatus::Ready)
        .map(|(i, _)| {
            let person = p.fields(i);
            format!(
                "{} {} <{}>",
                person.first_name, person.last_name, person.email
            )
        })
        .collect()
}

fn status_of(p: &Preview, line: usize) -> &RowStatus {
    &p.rows
        .iter()
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no row on line {line}"))
        .status
}

fn problem_of(p: &Preview, line: usize) -> String {
    match status_of(p, line) {
        RowStatus::Problem(reason) => reason.clone(),
        other => panic!("line {line}: {other:?}"),
    }
}

#[test]
fn basic_csv_has_five_valid_learners() {
    let p = preview("basic.csv");
    assert_eq!(p.counts().ready, 5);
    assert_eq!(
        p.counts(),
        Counts {
            ready: 5,
            ..Default::default()
        }
    );
    assert_eq!(p.map, ColumnMap::REFERENCE);
    assert!(p.notes.is_empty(), "{:?}", p.notes);
}

#[test]
fn excel_semicolon_bom_is_detected_and_keeps_its_accents() {
    let p = preview("excel-semicolon-bom.csv");
    assert_eq!(p.encoding, Encoding::Utf8Bom);
    assert_eq!(p.delimiter, ';');
    assert_eq!(p.map, ColumnMap::REFERENCE, "Vorname/Nachname/E-Mail");
    let people = ready(&p);
    assert_eq!(people.len(), 3, "{people:?}");
    assert!(people[0].starts_with("Jürgen Müller <"), "{people:?}");
    assert!(
        people
            .iter()
            .all(|p| !p.contains('\u{feff}') && !p.contains('\r'))
    );
}

#[test]
fn quoted_csv_keeps_commas_and_quotes_and_trims_padding() {
    let p = preview("quoted.csv");
    assert_eq!(
        ready(&p),
        [
            "Mary, Jr. O'Brien <mary.obrien@example.com>",
            "Sam \"The Hammer\" Stone <sam.stone@example.com>",
            "Pat Kim <pat.kim@example.com>",
        ]
    );
}

#[test]
fn no_header_csv_is_read_as_data_in_the_reference_order() {
    let p = preview("no-header.csv");
    assert_eq!(p.header, HeaderGuess::NoHeader);
    assert_eq!(
        ready(&p),
        [
            "Ann Lee <ann.lee@example.com>",
            "Boris Ivanov <boris@example.org>"
        ]
    );
    assert!(p.notes.iter().any(|n| n.starts_with("No header row")));
}

#[test]
fn reordered_header_is_mapped_by_name() {
    let p = preview("reordered-header.csv");
    assert_eq!(
        ready(&p),
        [
            "Ann Lee <ann.lee@example.com>",
            "Boris Ivanov <boris@example.org>"
        ]
    );
}

#[test]
fn bad_rows_csv_reports_each_bad_row_by_line_with_a_reason() {
    let p = preview("bad-rows.csv");
    assert_eq!(
        ready(&p),
        [
            "Ann Lee <ann.lee@example.com>",
            "Eve Adams <eve@example.com>",
            "Gus Grissom <gus@example.com>",
        ]
    );
    assert!(
        problem_of(&p, 3).contains("\"bob@@example.com\""),
        "{}",
        problem_of(&p, 3)
    );
    assert_eq!(status_of(&p, 4), &RowStatus::Empty);
    assert!(
        problem_of(&p, 5).contains("\"carl.jung@example\""),
        "{}",
        problem_of(&p, 5)
    );
    assert_eq!(status_of(&p, 6), &RowStatus::Duplicate { first_line: 2 });
    assert!(
        problem_of(&p, 7).contains("contains a space"),
        "{}",
        problem_of(&p, 7)
    );
    assert_eq!(
        status_of(&p, 8),
        &RowStatus::Ready,
        "extra columns do not matter"
    );
    assert_eq!(status_of(&p, 9), &RowStatus::Empty);
    assert_eq!(
        problem_of(&p, 10),
        "No email address: this row has only 2 columns"
    );
    assert_eq!(
        p.counts(),
        Counts {
            ready: 3,
            problems: 4,
            duplicates: 1,
            empty: 2
        }
    );
}

#[test]
fn formula_csv_invites_names_as_typed_and_explains_the_split_formula() {
    let p = preview("formula.csv");
    assert_eq!(
        ready(&p),
        [
            "+SUM(1;2) Ivanov <f2@example.com>",
            "@cmd Chen <f3@example.com>",
            "-2+3 Dana <f4@example.com>",
        ]
    );
    // `=HYPERLINK("…","x")` is not in quotes, so its comma splits it, as in every CSV reader; the
    // reason says so.
    let reason = problem_of(&p, 2);
    assert!(
        reason.ends_with(
            "this row has 4 columns but the header has 3: a comma inside a value must be in double quotes"
        ),
        "{reason}"
    );
}

#[test]
fn tab_delimited_tsv_is_detected() {
    let p = preview("tab-delimited.tsv");
    assert_eq!(p.delimiter, '\t');
    assert_eq!(p.counts().ready, 2);
}

#[test]
fn utf16le_excel_unicode_text_is_decoded_with_accents() {
    let p = preview("utf16le-excel.txt");
    assert_eq!(p.encoding, Encoding::Utf16Le);
    assert_eq!(p.delimiter, '\t');
    let people = ready(&p);
    assert_eq!(people.len(), 2, "{people:?}");
    assert!(
        people.iter().any(|p| !p.is_ascii()),
        "accents intact: {people:?}"
    );
}

#[test]
fn windows_1252_is_decoded_correctly_and_said_so() {
    let p = preview("windows-1252.csv");
    assert_eq!(p.encoding, Encoding::Windows1252);
    let people = ready(&p);
    assert!(people[0].starts_with("René Côté <"), "{people:?}");
    assert!(people[1].starts_with("François Dubé <"), "{people:?}");
    assert!(p.notes[0].contains("Windows-1252"), "{:?}", p.notes);
}

#[test]
fn a_binary_file_is_refused_and_a_stray_zero_byte_far_into_a_text_file_is_left_to_its_row() {
    assert!(
        read(
            b"PK\x03\x04\x14\x00\x06\x00xl/workbook.xml",
            &Caps::default()
        )
        .unwrap_err()
        .contains("not a text file")
    );
    let mut text = String::from("First name,Last name,Email address\n");
    for i in 0..3_000 {
        text.push_str(&format!("Ann,Lee,ann.{i}@example.com\n"));
    }
    assert!(text.len() > 64 * 1024);
    text.push_str("Bo\0b,Ray,bob@example.com\n");
    let p = read(text.as_bytes(), &Caps::default()).unwrap();
    assert_eq!(p.counts().ready, 3_000);
    let last = p.rows.last().unwrap();
    assert_eq!(last.line, 3_002);
    assert!(
        matches!(&last.status, RowStatus::Problem(why) if why.contains("control character")),
        "{:?}",
        last.status
    );
}

#[test]
fn header_only_and_empty_files_say_so() {
    assert_eq!(
        read(&file("header-only.csv"), &Caps::default()).unwrap_err(),
        "The file has no learners: it holds only a header row."
    );
    assert_eq!(
        read(&file("empty.csv"), &Caps::default()).unwrap_err(),
        "The file is empty. Choose the file again, or fill in the template first."
    );
}

#[test]
fn caps_are_enforced_with_numbers_in_the_message() {
    let caps = Caps {
        max_bytes: 100,
        max_rows: 2,
        max_columns: 3,
        max_field_chars: 5,
    };
    let big = vec![b'a'; 101];
    assert_eq!(
        read(&big, &caps).unwrap_err(),
        "The file is 101 bytes; at most 100 bytes can be uploaded at once. Split it into smaller files."
    );
    assert_eq!(
        read(b"a@x.io,b,c\nd@x.io,e,f\ng@x.io,h,i\n", &caps).unwrap_err(),
        "The file has more than 2 rows; split it into files of at most 2 learners."
    );
    assert_eq!(
        read(b"a,b,c,d\n", &caps).unwrap_err(),
        "Line 1 has 4 columns; a learners file has at most 3. Is this the right file?"
    );
    let p = read(b"Ann,Leeeeeeee,a@x.io\n", &caps).unwrap();
    assert_eq!(
        p.rows[0].status,
        RowStatus::Problem("A value in this row is longer than 5 characters".into())
    );
}

#[test]
fn a_quote_that_never_closes_is_named_with_its_line_instead_of_swallowing_the_people_after_it() {
    let file = b"First name,Last name,Email address\nAnn,Lee,ann@x.io\n\"Bob,Ray,bob@x.io\nCy,Do,cy@x.io\n";
    assert_eq!(
        read(file, &Caps::default()).unwrap_err(),
        "Line 3: a double quote (\") opens a value that never closes, so every line after it would be read as part of that one value. Close the quote or remove it, then choose the file again."
    );
}

#[test]
fn one_mailbox_typed_with_and_without_punycode_is_one_learner() {
    let file = "First name,Email\nAnn,same@bücher.de\nAnn,same@xn--bcher-kva.de\n";
    let p = read(file.as_bytes(), &Caps::default()).unwrap();
    assert_eq!(status_of(&p, 2), &RowStatus::Ready);
    assert!(
        matches!(status_of(&p, 3), RowStatus::Duplicate { .. }),
        "{:?}",
        status_of(&p, 3)
    );
}

#[test]
fn an_unrecognised_first_row_waits_for_the_admin_to_map_columns() {
    let mut p = read(b"Col A,Col B,Col C\nAnn,Lee,ann@x.io\n", &Caps::default()).unwrap();
    assert_eq!(p.header, HeaderGuess::Unknown);
    assert!(p.rows.is_empty());
    assert_eq!(p.width(), 3);
    p.remap(ColumnMap {
        first_name: Some(0),
        last_name: Some(1),
        email: Some(2),
    });
    // The first row is data too (it had no recognisable names): it is reported, not lost.
    assert_eq!(p.rows.len(), 2);
    assert_eq!(ready(&p), ["Ann Lee <ann@x.io>"]);
}

#[test]
fn checking_in_slices_gives_the_same_rows_as_reading_at_once() {
    let whole = preview("bad-rows.csv");
    let mut sliced = open(file("bad-rows.csv"), &Caps::default()).unwrap();
    assert!(sliced.rows.is_empty());
    assert!(!sliced.is_checked());
    let mut slices = 0;
    while !sliced.check_more(2) {
        slices += 1;
    }
    assert!(slices > 2, "a few slices, not one");
    assert_eq!(sliced.rows, whole.rows);
    assert_eq!(sliced.total(), whole.rows.len());
}

#[test]
fn blank_lines_before_the_header_are_skipped_and_every_row_keeps_its_line() {
    let text =
        "\n  ,\nFirst name,Last name,Email\nAnn,Lee,ann@example.com\n\nBob,,\"bob@example.com\"\n";
    let p = read(text.as_bytes(), &Caps::default()).unwrap();
    assert!(matches!(p.header, HeaderGuess::Header { .. }));
    assert_eq!(p.first_row(), ["First name", "Last name", "Email"]);
    assert_eq!(p.width(), 3);
    assert_eq!(p.total(), 3, "two people and the blank line between them");
    assert_eq!(
        p.rows
            .iter()
            .map(|r| (r.line, r.status.clone()))
            .collect::<Vec<_>>(),
        [
            (4, RowStatus::Ready),
            (5, RowStatus::Empty),
            (6, RowStatus::Ready)
        ]
    );
    assert_eq!(
        ready(&p),
        ["Ann Lee <ann@example.com>", "Bob  <bob@example.com>"]
    );
}

#[test]
fn a_fixed_row_is_checked_again_with_every_other_row() {
    let mut p = read(
        b"First name,Last name,Email\nAnn,Lee,ann@x\nBo,Kay,bo@x.io\nAnn,Lee,ANN@x.io\n",
        &Caps::default(),
    )
    .unwrap();
    assert!(matches!(p.rows[0].status, RowStatus::Problem(_)));
    assert_eq!(p.rows[2].status, RowStatus::Ready);
    let fixed = InviteeInput {
        email: "ann@x.io".into(),
        first_name: "Ann".into(),
        last_name: "Lee".into(),
    };
    p.edit(0, fixed.clone());
    assert_eq!(p.fields(0), fixed.fields());
    assert_eq!(p.rows[0].status, RowStatus::Ready);
    // Line 4 now repeats the fixed line 2.
    assert_eq!(p.rows[2].status, RowStatus::Duplicate { first_line: 2 });
    assert_eq!(p.counts().ready, 2);
}

#[test]
fn choosing_other_columns_drops_hand_corrections() {
    let mut p = read(
        b"First name,Last name,Email\nAnn,Lee,ann@x\n",
        &Caps::default(),
    )
    .unwrap();
    assert_eq!(p.counts().problems, 1);
    p.edit(
        0,
        InviteeInput {
            email: "ann@x.io".into(),
            first_name: "Ann".into(),
            last_name: "Lee".into(),
        },
    );
    assert_eq!(p.counts().ready, 1);
    let map = p.map;
    p.remap(map);
    assert_eq!(p.counts().problems, 1);
}

#[test]
fn known_addresses_are_matched_whatever_their_case_with_their_account_and_invitation() {
    use crate::{Role, invite_decision::OnFile};
    let known = Known::new(
        vec![
            ("ann@x.io".into(), Role::Learner),
            ("Ada@x.io".into(), Role::Owner),
        ],
        vec![
            ("BO@x.io".into(), Role::LearnerAdmin),
            ("Grace@x.io".into(), Role::Admin),
            ("ann@x.io".into(), Role::Learner),
        ],
    );
    let on_file = |account: Option<Role>, pending: Option<Role>| OnFile {
        account: account.map(|r| (r, ())),
        pending: pending.map(|r| (r, ())),
    };
    assert_eq!(
        known.of(" ANN@x.io "),
        on_file(Some(Role::Learner), Some(Role::Learner))
    );
    assert_eq!(known.of("ada@X.IO"), on_file(Some(Role::Owner), None));
    assert_eq!(known.of("bo@x.io"), on_file(None, Some(Role::LearnerAdmin)));
    assert_eq!(known.of("grace@X.io"), on_file(None, Some(Role::Admin)));
    assert_eq!(known.of("cy@x.io"), OnFile::default());
    assert_eq!(Known::default().of("ann@x.io"), OnFile::default());
}

#[test]
fn the_problems_report_lists_every_refused_row_with_its_reason_and_no_formula() {
    let p = read(
        b"First name,Last name,Email\n=cmd,Lee,ann@x\nBo,Kay,bo@x.io\nBo,Kay,BO@x.io\n,,\n",
        &Caps::default(),
    )
    .unwrap();
    let report = p.problems_report();
    let lines: Vec<&str> = report.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Line,First name,Last name,Email address,Problem");
    assert_eq!(lines.len(), 3, "{report}");
    assert!(lines[1].starts_with("2,'=cmd,Lee,ann@x,"), "{}", lines[1]);
    assert_eq!(
        lines[2],
        "4,Bo,Kay,BO@x.io,Duplicate: the same email address is on line 3"
    );
}

#[test]
fn sizes_read_like_a_file_manager() {
    assert_eq!(size(10 * 1_048_576), "10 MB");
    assert_eq!(size(12_884_902), "12.3 MB");
    assert_eq!(size(1_536), "1.5 KB");
    assert_eq!(size(100), "100 bytes");
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1_000), "1,000");
    assert_eq!(thousands(100_000), "100,000");
    assert_eq!(thousands(12_345_678), "12,345,678");
}

mod properties {
    use proptest::prelude::*;

    use super::super::{Caps, RowStatus, read, write::to_csv};

    fn small_caps() -> Caps {
        Caps {
            max_bytes: 4_096,
            max_rows: 40,
            max_columns: 8,
            max_field_chars: 30,
        }
    }

    /// A name as people have them: letters (accented too), spaces, apostrophes, hyphens, commas
    /// and quotes inside — but not at the start, where a report would neutralise a formula.
    fn name() -> impl Strategy<Value = String> {
        "[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ ,'\"-]{0,20}[A-Za-zÀ-ÿ]"
    }

    fn email() -> impl Strategy<Value = String> {
        "[a-z][a-z0-9]{0,6}(\\.[a-z0-9]{1,5})?@[a-z]{1,8}\\.(com|org|de|io)"
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_bytes_give_a_preview_or_a_message_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let caps = small_caps();
            match read(&bytes, &caps) {
                Ok(p) => {
                    prop_assert!(p.rows.iter().filter(|r| r.status != RowStatus::Empty).count() <= caps.max_rows);
                    prop_assert!(p.width() <= caps.max_columns);
                }
                Err(message) => prop_assert!(!message.is_empty()),
            }
        }

        #[test]
        fn text_with_separators_quotes_and_line_ends_never_panics(text in "[a-z@.,;\t|\"\r\n ]{0,300}") {
            let _ = read(text.as_bytes(), &small_caps());
        }

        #[test]
        fn valid_rows_survive_a_write_and_a_read(
            people in proptest::collection::vec((name(), name(), email()), 1..30)
        ) {
            // Distinct addresses, as a real file has them.
            let mut seen = std::collections::HashSet::new();
            let people: Vec<_> = people.into_iter().filter(|p| seen.insert(p.2.clone())).collect();
            let mut rows = vec![vec!["First name".to_string(), "Last name".into(), "Email address".into()]];
            rows.extend(people.iter().map(|(f, l, e)| vec![f.clone(), l.clone(), e.clone()]));
            let csv = to_csv(rows);
            let p = read(csv.as_bytes(), &Caps::default()).expect("a valid file");
            let back: Vec<(String, String, String)> = p
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    prop_assert_eq!(&r.status, &RowStatus::Ready);
                    let person = p.fields(i);
                    Ok((person.first_name.to_owned(), person.last_name.to_owned(), person.email.to_owned()))
                })
                .collect::<Result<_, TestCaseError>>()?;
            let expected: Vec<_> = people
                .iter()
                .map(|(f, l, e)| {
                    let tidy = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                    (tidy(f), tidy(l), e.clone())
                })
                .collect();
            let back: Vec<_> = back
                .into_iter()
                .map(|(f, l, e)| {
                    let tidy = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                    (tidy(&f), tidy(&l), e)
                })
                .collect();
            prop_assert_eq!(back, expected);
        }
    }
}
