//! Form rules built from the domain types, run in the browser for instant feedback and again on the server.

use crate::{
    domain::{
        email::Email,
        names::{AcademyName, PersonName},
        password::Password,
        slug::Slug,
    },
    error::{AppError, FieldError},
};

/// Collects field errors while parsing several fields.
#[derive(Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(message) => {
                self.0.push(FieldError {
                    field: field.to_string(),
                    message,
                });
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), AppError> {
        match AppError::from_fields(self.0) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

pub struct NewAcademy {
    pub name: AcademyName,
    pub slug: Slug,
    pub owner_first_name: PersonName,
    pub owner_last_name: String,
    pub owner_email: Email,
    pub owner_password: Password,
}

/// "Your name" is one field; the first word is the first name, the rest the last name.
pub fn split_full_name(full: &str) -> Result<(PersonName, String), String> {
    let full = PersonName::parse_or(full, "Enter your name")?;
    let text = full.as_str().to_string();
    match text.split_once(' ') {
        Some((first, last)) => Ok((PersonName::parse(first)?, last.to_string())),
        None => Ok((full, String::new())),
    }
}

pub fn new_academy(
    academy_name: &str,
    slug: &str,
    owner_name: &str,
    email: &str,
    password: &str,
) -> Result<NewAcademy, AppError> {
    let mut f = Fields::default();
    let name = f.check("academy_name", AcademyName::parse(academy_name));
    let slug = f.check("slug", Slug::parse(slug));
    let owner = f.check("owner_name", split_full_name(owner_name));
    let owner_email = f.check("email", Email::parse(email));
    let owner_password = f.check("password", Password::parse_for(password, email));
    f.finish()?;
    let (
        Some(name),
        Some(slug),
        Some((owner_first_name, owner_last_name)),
        Some(owner_email),
        Some(owner_password),
    ) = (name, slug, owner, owner_email, owner_password)
    else {
        unreachable!("every field parsed when no field error was collected")
    };
    Ok(NewAcademy {
        name,
        slug,
        owner_first_name,
        owner_last_name,
        owner_email,
        owner_password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let e = new_academy("", "Bad Slug!", "", "not-an-email", "short")
            .err()
            .unwrap();
        for field in ["academy_name", "slug", "owner_name", "email", "password"] {
            assert!(
                e.field_message(field).is_some(),
                "{field} should have an error: {e:?}"
            );
        }
    }

    #[test]
    fn a_full_name_splits_into_first_and_last() {
        let (first, last) = split_full_name("  Ada   King Lovelace ").unwrap();
        assert_eq!(first.as_str(), "Ada");
        assert_eq!(last, "King Lovelace");
    }

    #[test]
    fn a_good_form_parses() {
        let a = new_academy(
            "Acme Onboarding",
            "acme",
            "Ada Lovelace",
            "Ada@Example.com",
            "lighthouse keeper",
        )
        .unwrap();
        assert_eq!(a.owner_email.as_str(), "ada@example.com");
        assert_eq!(a.slug.as_str(), "acme");
    }
}
