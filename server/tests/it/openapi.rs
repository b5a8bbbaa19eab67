//! The OpenAPI document served at `/api/v1/openapi.json`: well-formed, complete for every action, and small.

use app::model::api_v1::{Action, Call};
use serde_json::Value;
use server::json_api::openapi::{document, examples, schema_name};

const BASE: &str = "http://127.0.0.1:3000";

fn doc() -> Value {
    document(BASE)
}

/// Follows a local `$ref` (`#/components/...`) to what it names.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{reference} is not a local reference"));
            doc.pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} points at nothing"))
        }
        None => value,
    }
}

fn refs<'a>(value: &'a Value, at: String, found: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "$ref" {
                    found.push((at.clone(), child.as_str().expect("a $ref is a string")));
                } else {
                    refs(child, format!("{at}/{key}"), found);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                refs(child, format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn the_document_is_openapi_3_1_0_for_this_server() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Shoal API");
    assert_eq!(doc["info"]["version"], "1");
    assert_eq!(doc["servers"][0]["url"], BASE);
    assert_eq!(
        doc["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["tokenUrl"],
        format!("{BASE}/oauth/token")
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[test]
fn every_action_has_a_request_schema_in_the_discriminator_mapping_and_the_one_of() {
    let doc = doc();
    let request = &doc["components"]["schemas"]["ActionRequest"];
    assert_eq!(request["discriminator"]["propertyName"], "action");
    let mapping = request["discriminator"]["mapping"]
        .as_object()
        .expect("a mapping");
    let one_of = request["oneOf"].as_array().expect("a oneOf");
    assert_eq!(mapping.len(), Action::ALL.len(), "{mapping:?}");
    assert_eq!(one_of.len(), Action::ALL.len(), "{one_of:?}");
    for action in Action::ALL.map(Action::name) {
        let reference = mapping[action].as_str().expect("a reference");
        assert!(
            one_of.iter().any(|s| s["$ref"] == reference),
            "{action}: {reference} is not in oneOf"
        );
        let reference = serde_json::json!({ "$ref": reference });
        let schema = resolve(&doc, &reference);
        assert_eq!(schema["properties"]["action"]["const"], action);
        assert!(
            schema["required"]
                .as_array()
                .unwrap()
                .contains(&Value::from("action")),
            "{action} requires its action"
        );
    }
}

#[test]
fn every_action_has_an_answer_in_the_200_response() {
    let doc = doc();
    let answers = doc["paths"]["/api/v1/"]["post"]["responses"]["200"]["content"]
        ["application/json"]["schema"]["anyOf"]
        .as_array()
        .expect("the answers");
    assert_eq!(answers.len(), Action::ALL.len());
    for answer in answers {
        assert_eq!(resolve(&doc, answer)["type"], "array");
    }
}

#[test]
fn every_ref_in_the_document_points_at_a_component() {
    let doc = doc();
    let mut found = Vec::new();
    refs(&doc, String::new(), &mut found);
    assert!(found.len() > 50, "only {} references", found.len());
    for (at, reference) in found {
        assert!(
            reference.starts_with("#/components/"),
            "{at}: {reference} is not a component"
        );
        assert!(
            doc.pointer(&reference[1..]).is_some(),
            "{at}: {reference} points at nothing"
        );
    }
}

#[test]
fn the_token_endpoint_accepts_form_and_json() {
    let doc = doc();
    let content = doc["paths"]["/oauth/token"]["post"]["requestBody"]["content"]
        .as_object()
        .expect("a request body");
    for media in ["application/x-www-form-urlencoded", "application/json"] {
        let schema = resolve(&doc, &content[media]["schema"]);
        assert_eq!(
            schema["properties"]["grant_type"]["enum"],
            serde_json::json!(["client_credentials"]),
            "{media}"
        );
    }
}

#[test]
fn the_action_endpoint_accepts_json_and_bracket_notation_forms() {
    let doc = doc();
    let content = &doc["paths"]["/api/v1/"]["post"]["requestBody"]["content"];
    assert_eq!(
        content["application/json"]["schema"]["$ref"],
        "#/components/schemas/ActionRequest"
    );
    assert_eq!(
        content["application/x-www-form-urlencoded"]["encoding"]["options"]["style"],
        "deepObject"
    );
}

#[test]
fn a_429_answer_declares_retry_after() {
    let doc = doc();
    for path in ["/api/v1/", "/oauth/token"] {
        let response = resolve(&doc, &doc["paths"][path]["post"]["responses"]["429"]);
        let header = resolve(&doc, &response["headers"]["Retry-After"]);
        assert_eq!(header["schema"]["type"], "integer", "{path}");
    }
}

#[test]
fn every_error_of_the_action_endpoint_is_the_error_envelope() {
    let doc = doc();
    let responses = &doc["paths"]["/api/v1/"]["post"]["responses"];
    for status in ["400", "401", "403", "404", "413", "422", "429"] {
        let response = resolve(&doc, &responses[status]);
        assert_eq!(
            response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error",
            "{status}"
        );
    }
}

#[test]
fn the_webhooks_cover_every_event_and_are_signed() {
    let doc = doc();
    for event in [
        "invite.accepted",
        "learner.registered",
        "invite.email_failed",
        "access_request.created",
        "test",
    ] {
        let post = &doc["webhooks"][event]["post"];
        let headers: Vec<&str> = post["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{event} has no headers"))
            .iter()
            .map(|p| resolve(&doc, p)["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            headers,
            ["Shoal-Signature", "Shoal-Event", "Shoal-Delivery"],
            "{event}"
        );
    }
}

#[test]
fn the_document_serialises_to_less_than_100_kb() {
    let bytes = serde_json::to_vec(&doc()).unwrap();
    assert!(bytes.len() < 100 * 1024, "{} bytes", bytes.len());
}

#[test]
fn every_example_call_reads_as_its_action_s_options() {
    for action in Action::ALL {
        let (options, _) = examples(action);
        if let Err(e) = Call::read(action, &options) {
            panic!("{}: {options} does not read: {e}", action.name());
        }
    }
}

#[test]
fn every_example_answer_is_an_array_of_its_action_s_items() {
    let doc = doc();
    for action in Action::ALL {
        let (_, answer) = examples(action);
        let items = answer.as_array().expect("an array");
        assert!(!items.is_empty(), "{}", action.name());
        let (item, _) = action.answer();
        let schema = &doc["components"]["schemas"][item.as_ref()];
        // A result's `status` is one its schema lists; a list's item has every required field.
        for value in items {
            match schema["oneOf"].as_array() {
                Some(variants) => assert!(
                    variants
                        .iter()
                        .any(|v| v["properties"]["status"]["enum"][0] == value["status"]),
                    "{}: {value}",
                    action.name()
                ),
                None => {
                    for field in schema["required"].as_array().expect("required fields") {
                        let field = field.as_str().unwrap();
                        assert!(value.get(field).is_some(), "{}: {field}", action.name());
                    }
                }
            }
        }
    }
}

#[test]
fn the_options_of_every_action_are_derived_from_the_types_the_server_reads() {
    let doc = doc();
    let schemas = &doc["components"]["schemas"];
    for action in Action::ALL {
        let request = &schemas[format!("{}Request", schema_name(action.name()))];
        let (options, required) = action.options();
        assert_eq!(
            request["properties"]["options"]["$ref"],
            format!("#/components/schemas/{options}"),
            "{}",
            action.name()
        );
        assert!(schemas.get(options.as_ref()).is_some(), "{options}");
        let listed = request["required"].as_array().unwrap();
        assert_eq!(
            listed.contains(&Value::from("options")),
            required,
            "{}",
            action.name()
        );
    }
    // The lenient readers' types never show: a caller sees arrays, strings and numbers.
    let learners = &schemas["InviteLearnersOptions"]["properties"]["learners"];
    assert_eq!(learners["type"], "array");
    assert_eq!(
        learners["items"]["$ref"],
        "#/components/schemas/LearnerToInvite"
    );
}
