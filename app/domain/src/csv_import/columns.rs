//! Which column holds what: a header row mapped by name (any order, any case, common synonyms in
//! several languages), or no header and the reference order (First name, Last name, Email address).

use serde::{Deserialize, Serialize};

use super::super::email::Email;

/// The three things an invitation needs, as a column index each (`None`: not in the file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMap {
    pub first_name: Option<usize>,
    pub last_name: Option<usize>,
    pub email: Option<usize>,
}

impl ColumnMap {
    /// The reference file's order: First name, Last name, Email address.
    pub const REFERENCE: ColumnMap = ColumnMap {
        first_name: Some(0),
        last_name: Some(1),
        email: Some(2),
    };

    /// Every column the map uses, for telling which ones are ignored.
    pub fn uses(&self, column: usize) -> bool {
        [self.first_name, self.last_name, self.email].contains(&Some(column))
    }

    /// What the admin still has to choose before the rows can be read: "email address" or
    /// "first name".
    pub fn missing(&self) -> Option<&'static str> {
        match (self.email, self.first_name) {
            (None, _) => Some("email address"),
            (_, None) => Some("first name"),
            _ => None,
        }
    }

    /// What the preview says while something is `missing`, for a file with or without a header row.
    pub fn missing_message(&self, header: &HeaderGuess) -> Option<String> {
        let what = self.missing()?;
        Some(match header {
            HeaderGuess::Header { .. } => format!(
                "The header row names no {what} column. Choose which column holds the {what} above and every row is read again — or add a \"{}\" column to the file.",
                capitalised(what)
            ),
            HeaderGuess::NoHeader | HeaderGuess::Unknown => format!(
                "The first row does not name its columns. Choose which column holds the {what} above and every row is read again."
            ),
        })
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meaning {
    FirstName,
    LastName,
    Email,
}

/// A header cell as a key: lower case, accents folded, spaces and punctuation gone.
fn key(cell: &str) -> String {
    cell.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => Some('a'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' => Some('i'),
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            'ñ' => Some('n'),
            'ł' => Some('l'),
            'ß' => Some('s'),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

const FIRST_NAMES: &[&str] = &[
    "firstname",
    "first",
    "givenname",
    "forename",
    "fname",
    "vorname",
    "prenom",
    "nombre",
    "nome",
    "voornaam",
    "imie",
    "fornavn",
    "fornamn",
    "etunimi",
    "имя",
];
const LAST_NAMES: &[&str] = &[
    "lastname",
    "last",
    "surname",
    "familyname",
    "lname",
    "nachname",
    "familienname",
    "nom",
    "nomdefamille",
    "apellido",
    "apellidos",
    "cognome",
    "achternaam",
    "nazwisko",
    "efternavn",
    "efternamn",
    "sukunimi",
    "фамилия",
];
const EMAILS: &[&str] = &[
    "email",
    "emailaddress",
    "mail",
    "mailaddress",
    "emailadresse",
    "emailadres",
    "courriel",
    "adressecourriel",
    "adresseemail",
    "adresseelectronique",
    "correo",
    "correoelectronico",
    "posta",
    "postaelettronica",
    "epost",
    "sahkoposti",
    "почта",
];

fn meaning(cell: &str) -> Option<Meaning> {
    let k = key(cell);
    if FIRST_NAMES.contains(&k.as_str()) {
        Some(Meaning::FirstName)
    } else if LAST_NAMES.contains(&k.as_str()) {
        Some(Meaning::LastName)
    } else if EMAILS.contains(&k.as_str()) {
        Some(Meaning::Email)
    } else {
        None
    }
}

/// How the first row was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HeaderGuess {
    /// A header row: the map from its names, and the names of the columns nobody uses.
    Header {
        map: ColumnMap,
        ignored: Vec<String>,
    },
    /// No header: the first row holds an email address, so it is data, in the reference order.
    NoHeader,
    /// Neither recognisable names nor an email address: the admin maps the columns.
    Unknown,
}

/// Reads the first row: named columns, data, or neither.
pub fn guess_header(first_row: &[String]) -> HeaderGuess {
    let mut map = ColumnMap::default();
    let mut known = 0;
    for (i, cell) in first_row.iter().enumerate() {
        let slot = match meaning(cell) {
            Some(Meaning::FirstName) => &mut map.first_name,
            Some(Meaning::LastName) => &mut map.last_name,
            Some(Meaning::Email) => &mut map.email,
            None => continue,
        };
        if slot.is_none() {
            *slot = Some(i);
            known += 1;
        }
    }
    if known > 0 {
        let ignored = first_row
            .iter()
            .enumerate()
            .filter(|(i, cell)| !map.uses(*i) && !cell.trim().is_empty())
            .map(|(_, cell)| cell.trim().to_string())
            .collect();
        return HeaderGuess::Header { map, ignored };
    }
    if first_row.iter().any(|c| Email::parse(c).is_ok()) {
        HeaderGuess::NoHeader
    } else {
        HeaderGuess::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn maps_header_names_in_any_order_case_and_language() {
        let cases: &[(&[&str], ColumnMap)] = &[
            (
                &["First name", "Last name", "Email address"],
                ColumnMap::REFERENCE,
            ),
            (
                &["EMAIL", "last NAME", "First Name"],
                ColumnMap {
                    first_name: Some(2),
                    last_name: Some(1),
                    email: Some(0),
                },
            ),
            (&["Vorname", "Nachname", "E-Mail"], ColumnMap::REFERENCE),
            (&["Prénom", "Nom", "Courriel"], ColumnMap::REFERENCE),
            (&["Given name", "Surname", "e_mail"], ColumnMap::REFERENCE),
            (&["Firstname", "Lastname", "Mail"], ColumnMap::REFERENCE),
        ];
        for (cells, expected) in cases {
            match guess_header(&row(cells)) {
                HeaderGuess::Header { map, ignored } => {
                    assert_eq!(map, *expected, "{cells:?}");
                    assert!(ignored.is_empty());
                }
                other => panic!("{cells:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn names_the_columns_it_ignores_and_what_is_missing() {
        let HeaderGuess::Header { map, ignored } =
            guess_header(&row(&["Email", "Department", "", "Phone"]))
        else {
            panic!("a header");
        };
        assert_eq!(ignored, ["Department", "Phone"]);
        assert_eq!(map.missing(), Some("first name"));
        assert_eq!(ColumnMap::default().missing(), Some("email address"));
        assert_eq!(ColumnMap::REFERENCE.missing(), None);
    }

    #[test]
    fn a_file_with_only_an_email_column_is_told_its_header_lacks_a_first_name_column() {
        let header = guess_header(&row(&["Email"]));
        let HeaderGuess::Header { map, .. } = &header else {
            panic!("a header");
        };
        assert_eq!(
            map.missing_message(&header).as_deref(),
            Some(
                "The header row names no first name column. Choose which column holds the first name above and every row is read again — or add a \"First name\" column to the file."
            )
        );
        assert_eq!(
            ColumnMap::default()
                .missing_message(&HeaderGuess::Unknown)
                .as_deref(),
            Some(
                "The first row does not name its columns. Choose which column holds the email address above and every row is read again."
            )
        );
        assert_eq!(
            ColumnMap::REFERENCE.missing_message(&HeaderGuess::Unknown),
            None
        );
    }

    #[test]
    fn a_first_row_with_an_email_is_data_and_a_strange_one_is_unknown() {
        assert_eq!(
            guess_header(&row(&["Ann", "Lee", "ann.lee@example.com"])),
            HeaderGuess::NoHeader
        );
        assert_eq!(
            guess_header(&row(&["Col A", "Col B"])),
            HeaderGuess::Unknown
        );
    }
}
