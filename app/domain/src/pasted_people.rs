//! A list of people pasted into the invite form, one per line, as people copy them from a mail
//! client, a spreadsheet or a chat: `ann@example.com`, `Ann Lee <ann@example.com>`,
//! `"Lee, Ann" <ann@example.com>`, `ann@example.com, Ann, Lee` (commas, semicolons or tabs). Each
//! line becomes one person; a line without an address is named with its reason, never dropped.

use super::email::Email;

/// One line of the paste as the form's fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastedPerson {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// A line that could not be read: its number (from 1), its text and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unread {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

/// Whether a paste into an email field is a list rather than one address: more than one line,
/// or several addresses on one.
pub fn is_list(text: &str) -> bool {
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    lines > 1 || text.matches('@').count() > 1
}

/// The people of a pasted list, in order, and the lines that could not be read. Blank lines are
/// skipped; a line with several addresses and nothing else (`a@x.com, b@y.com`) is several people.
pub fn read(text: &str) -> (Vec<PastedPerson>, Vec<Unread>) {
    let mut people = Vec::new();
    let mut unread = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        match read_line(line) {
            Ok(mut found) => people.append(&mut found),
            Err(reason) => unread.push(Unread {
                line: i + 1,
                text: line.to_owned(),
                reason,
            }),
        }
    }
    (people, unread)
}

fn read_line(line: &str) -> Result<Vec<PastedPerson>, String> {
    // `Name <address>` as mail clients write it.
    if let (Some(open), true) = (line.rfind('<'), line.ends_with('>')) {
        let email = checked(&line[open + 1..line.len() - 1])?;
        let name = line[..open].trim().trim_matches('"').trim();
        let (first_name, last_name) = split_name(name);
        return Ok(vec![PastedPerson {
            email,
            first_name,
            last_name,
        }]);
    }
    let cells: Vec<&str> = line
        .split([',', ';', '\t'])
        .map(|c| c.trim().trim_matches('"').trim())
        .collect();
    let addresses = cells.iter().filter(|c| c.contains('@')).count();
    if addresses == 0 {
        return Err("no email address on this line".to_owned());
    }
    // Only addresses: one person each.
    if cells.iter().all(|c| c.contains('@') || c.is_empty()) {
        return cells
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| {
                Ok(PastedPerson {
                    email: checked(c)?,
                    first_name: String::new(),
                    last_name: String::new(),
                })
            })
            .collect();
    }
    if addresses > 1 {
        return Err(
            "more than one email address among other text; put one person on each line".to_owned(),
        );
    }
    // `address, first, last` or `first, last, address`: the address is the cell with an @, the
    // names are the others in order.
    let email = checked(
        cells
            .iter()
            .find(|c| c.contains('@'))
            .copied()
            .unwrap_or_default(),
    )?;
    let names: Vec<&str> = cells
        .iter()
        .filter(|c| !c.contains('@') && !c.is_empty())
        .copied()
        .collect();
    let (first_name, last_name) = match names.as_slice() {
        [] => (String::new(), String::new()),
        [one] => split_name(one),
        [first, rest @ ..] => ((*first).to_owned(), rest.join(" ")),
    };
    Ok(vec![PastedPerson {
        email,
        first_name,
        last_name,
    }])
}

/// The address as the form will check it again; here only to name a bad line at once.
fn checked(text: &str) -> Result<String, String> {
    Email::parse(text).map(|e| e.as_str().to_owned())
}

/// "Ann Lee" → ("Ann", "Lee"); "Lee, Ann" → ("Ann", "Lee"); "Ann" → ("Ann", "").
fn split_name(name: &str) -> (String, String) {
    if let Some((last, first)) = name.split_once(',') {
        return (first.trim().to_owned(), last.trim().to_owned());
    }
    match name.split_once(char::is_whitespace) {
        Some((first, last)) => (first.to_owned(), last.trim().to_owned()),
        None => (name.to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(email: &str, first: &str, last: &str) -> PastedPerson {
        PastedPerson {
            email: email.into(),
            first_name: first.into(),
            last_name: last.into(),
        }
    }

    #[test]
    fn every_common_way_of_writing_a_person_is_read() {
        let (people, unread) = read(
            "ann@example.com\n\
             Bob Brown <Bob@Example.com>\n\
             \"Lee, Cy\" <cy@example.com>\n\
             dee@example.com, Dee, Dune\n\
             Eve;Evans;eve@example.com\n\
             fay@example.com\tFay\tFox\n\
             \n\
             gus@example.com, hal@example.com\n",
        );
        assert_eq!(unread, []);
        assert_eq!(
            people,
            [
                person("ann@example.com", "", ""),
                person("bob@example.com", "Bob", "Brown"),
                person("cy@example.com", "Cy", "Lee"),
                person("dee@example.com", "Dee", "Dune"),
                person("eve@example.com", "Eve", "Evans"),
                person("fay@example.com", "Fay", "Fox"),
                person("gus@example.com", "", ""),
                person("hal@example.com", "", ""),
            ]
        );
    }

    #[test]
    fn a_line_that_cannot_be_read_is_named_with_its_reason_and_the_rest_still_count() {
        let (people, unread) = read("ann@example.com\nJust a name\nbob@@example.com, Bob\n");
        assert_eq!(people, [person("ann@example.com", "", "")]);
        assert_eq!(unread.len(), 2);
        assert_eq!(
            (unread[0].line, unread[0].reason.as_str()),
            (2, "no email address on this line")
        );
        assert_eq!(unread[1].line, 3);
        assert!(
            unread[1].reason.contains("more than one @"),
            "{:?}",
            unread[1]
        );
    }

    #[test]
    fn one_address_is_not_a_list_and_two_lines_or_two_addresses_are() {
        assert!(!is_list(" ann@example.com \n"));
        assert!(is_list("ann@example.com\nbob@example.com"));
        assert!(is_list("ann@example.com, bob@example.com"));
    }
}
