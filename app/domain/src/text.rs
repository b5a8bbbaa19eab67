//! One length cap per kind of text, shared by the browser (`maxlength` on the inputs) and the
//! server (the domain rules that refuse longer text name the same constants). A cap lives with
//! its rule; this file only says which rule a form field follows.

use super::{api_client, course, email, invite_message, names, password, search, slug, team};

/// The most characters a form field named `name` takes, when Shoal has a rule for it.
pub fn cap_for_field(name: &str) -> Option<usize> {
    Some(match name {
        "first_name" | "last_name" | "owner_name" => names::PERSON_NAME_MAX_LEN,
        "academy_name" => names::ACADEMY_NAME_MAX_LEN,
        "email" => email::MAX_LEN,
        "password" | "current_password" | "new_password" => password::MAX_LEN,
        "slug" => slug::MAX_LEN,
        "team_name" => team::TEAM_NAME_MAX_LEN,
        "course_title" => course::COURSE_TITLE_MAX_LEN,
        "course_description" => course::COURSE_DESCRIPTION_MAX_LEN,
        "client_name" => api_client::CLIENT_NAME_MAX_LEN,
        "search" => search::SEARCH_MAX_CHARS,
        "message" => invite_message::MESSAGE_MAX_CHARS,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::cap_for_field;

    #[test]
    fn every_field_of_a_person_has_the_cap_its_rule_enforces() {
        assert_eq!(cap_for_field("first_name"), Some(100));
        assert_eq!(cap_for_field("last_name"), Some(100));
        assert_eq!(cap_for_field("email"), Some(254));
        assert_eq!(cap_for_field("password"), Some(128));
        assert_eq!(cap_for_field("code"), None);
    }
}
