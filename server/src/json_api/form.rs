//! Form-encoded API bodies with bracket notation (`options[learners][0][email]=a@b.c`,
//! `options[teams][]=12`) turned into the same JSON a JSON body would carry. Values stay strings;
//! the actions accept numbers and booleans written as text.

use serde_json::{Map, Value};

/// Most fields one form body may hold.
pub const MAX_FIELDS: usize = 20_000;

/// The path of a bracketed key: `a[b][0][]` → `["a", "b", "0", ""]`.
fn path(key: &str) -> Result<Vec<&str>, String> {
    let (head, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    if head.is_empty() {
        return Err(format!(
            "The form field {key:?} has no name before its brackets"
        ));
    }
    let mut out = vec![head];
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else {
            return Err(format!(
                "The form field {key:?} has text after its brackets"
            ));
        };
        let Some(end) = inner.find(']') else {
            return Err(format!("The form field {key:?} has an unclosed bracket"));
        };
        out.push(&inner[..end]);
        rest = &inner[end + 1..];
    }
    if out.len() > 8 {
        return Err(format!("The form field {key:?} is nested too deeply"));
    }
    Ok(out)
}

fn clash(key: &str) -> String {
    format!("The form field {key:?} clashes with another field of the same name")
}

fn insert(node: &mut Value, segments: &[&str], value: String, key: &str) -> Result<(), String> {
    let Some((first, rest)) = segments.split_first() else {
        return Err(clash(key));
    };
    if first.is_empty() {
        // `name[]`: the next item of a list.
        if !node.is_array() {
            if node.as_object().is_some_and(|m| m.is_empty()) || node.is_null() {
                *node = Value::Array(vec![]);
            } else {
                return Err(clash(key));
            }
        }
        let list = node.as_array_mut().ok_or_else(|| clash(key))?;
        if rest.is_empty() {
            list.push(Value::String(value));
            return Ok(());
        }
        let mut child = Value::Object(Map::new());
        insert(&mut child, rest, value, key)?;
        list.push(child);
        return Ok(());
    }
    if node.is_null() {
        *node = Value::Object(Map::new());
    }
    let map = node.as_object_mut().ok_or_else(|| clash(key))?;
    if rest.is_empty() {
        if map.contains_key(*first) {
            return Err(clash(key));
        }
        map.insert((*first).to_string(), Value::String(value));
        return Ok(());
    }
    let child = map.entry((*first).to_string()).or_insert(Value::Null);
    if child.is_string() {
        return Err(clash(key));
    }
    insert(child, rest, value, key)
}

/// The body as JSON: `action=getTeams&options[x]=1` → `{"action": "getTeams", "options": {"x": "1"}}`.
pub fn to_json(body: &[u8]) -> Result<Value, String> {
    let mut root = Value::Object(Map::new());
    for (n, (key, value)) in url::form_urlencoded::parse(body).enumerate() {
        if n >= MAX_FIELDS {
            return Err(format!("The form has more than {MAX_FIELDS} fields"));
        }
        let segments = path(&key)?;
        insert(&mut root, &segments, value.into_owned(), &key)?;
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bracket_notation_becomes_nested_json() {
        let body = b"action=inviteLearners+&options[send_email]=1&options[learners][0][email]=a%40b.c\
            &options[learners][0][first_name]=Ann&options[learners][1][email]=b%40b.c&options[teams][]=12&options[teams][]=13";
        assert_eq!(
            to_json(body).unwrap(),
            json!({
                "action": "inviteLearners ",
                "options": {
                    "send_email": "1",
                    "learners": {"0": {"email": "a@b.c", "first_name": "Ann"}, "1": {"email": "b@b.c"}},
                    "teams": ["12", "13"],
                }
            })
        );
    }

    #[test]
    fn clashing_or_broken_keys_are_refused_by_name() {
        for (body, part) in [
            (&b"options=1&options[a]=2"[..], "clashes"),
            (b"options[a]=1&options[a]=2", "clashes"),
            (b"options[a=1", "unclosed"),
            (b"[a]=1", "no name"),
            (b"options[a]x=1", "after its brackets"),
        ] {
            let e = to_json(body).unwrap_err();
            assert!(e.contains(part), "{e}");
        }
    }

    #[test]
    fn an_empty_body_is_an_empty_object() {
        assert_eq!(to_json(b"").unwrap(), json!({}));
    }
}
