//! The OpenAPI 3.1 description of the external API (`GET /api/v1/openapi.json`): the token endpoint,
//! the one action endpoint as a union discriminated on `action`, and the signed webhooks.
//!
//! Written by hand with `json!` rather than derived: the API's wire types are few, and its conventions
//! (bracket-notation forms, the bare token, the envelope) are what integrators need spelled out.

use app::{
    domain::{
        LEARNER_ROLES, Role, email,
        invite_message::{MESSAGE_MAX_CHARS, MESSAGE_MAX_LINES},
        names::PERSON_NAME_MAX_LEN,
    },
    server::{services::api_actions, state::AppState},
};
use axum::{Json, extract::State};
use serde_json::{Map, Value, json};

/// The schema names of an action: `inviteLearners` → `InviteLearners` (`…Request`, `…Response`).
fn schema_name(action: &str) -> String {
    let mut chars = action.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The events a webhook may receive, with a line on when each is sent.
const EVENTS: [(&str, &str); 5] = [
    (
        "invite.accepted",
        "An invited person accepted their invitation and is now a learner of the academy.",
    ),
    (
        "learner.registered",
        "A new learner account exists, however it was made (invitation, academy link or sign-up).",
    ),
    (
        "invite.email_failed",
        "An invitation email could not be delivered and Shoal stopped retrying.",
    ),
    (
        "access_request.created",
        "Someone without an invitation asked to join a private academy (\"Request access\" at the academy link); `data` holds `request_id`, `email`, `first_name`, `last_name`, `message` and `requested_at`. A repeated request from the same address updates the waiting one and is not sent again.",
    ),
    (
        "test",
        "Sent by the \"Send test event\" button in Settings → Webhooks, to check the receiver.",
    ),
];

const MAX_LEARNERS: usize = api_actions::MAX_ITEMS;
const MAX_EMAILS: usize = api_actions::MAX_ITEMS;
const MAX_TEAMS_PER_CALL: usize = api_actions::MAX_TEAMS;
const MAX_PAGE: i64 = api_actions::MAX_LIMIT;

/// `GET /api/v1/openapi.json`. The server URL is the configured base URL, never the Host header.
pub async fn handle(State(state): State<AppState>) -> Json<Value> {
    Json(document(&state.settings.base_url))
}

/// The whole document; `base_url` is the academy server's configured base URL, without a trailing slash.
pub fn document(base_url: &str) -> Value {
    let base_url = base_url.trim_end_matches('/');
    json!({
        "openapi": "3.1.0",
        "info": info(),
        "servers": [{ "url": base_url, "description": "This Shoal server" }],
        "tags": [
            { "name": "OAuth", "description": "Exchange client credentials for an access token." },
            { "name": "Actions", "description": "Every call: one endpoint, an `action` and its `options`." },
            { "name": "Documents", "description": "Machine-readable descriptions of this API." }
        ],
        "paths": {
            "/oauth/token": { "post": token_operation() },
            "/api/v1/": { "post": action_operation() },
            "/api/v1/openapi.json": { "get": openapi_operation() }
        },
        "webhooks": webhooks(),
        "components": {
            "securitySchemes": security_schemes(base_url),
            "schemas": schemas(),
            "parameters": parameters(),
            "headers": headers(),
            "responses": responses()
        }
    })
}

fn info() -> Value {
    json!({
        "title": "Shoal API",
        "version": "1",
        "description": concat!(
            "Invite learners, put them in and take them out of teams, revoke and give back their access, ",
            "resend and revoke invitations, and read the academy's teams, learners and invites.\n\n",
            "**Authentication.** Register an OAuth application in Settings → API (the Owner and Administrators ",
            "can). Exchange its Client ID and Client Secret at `POST /oauth/token` (OAuth 2.0 client credentials, ",
            "RFC 6749 §4.4) for an opaque access token valid for 7 days, then send it with every call as ",
            "`Authorization: Bearer <token>` or as the bare `Authorization: <token>`. The token belongs to one ",
            "academy: every call reads and changes that academy only. Revoking the application revokes its tokens.\n\n",
            "**Envelope.** Every call is `POST /api/v1/` (the trailing slash is optional) with the body ",
            "`{\"action\": \"<name>\", \"options\": {…}}` as JSON, or the same form-encoded with bracket notation: ",
            "`action=inviteLearners&options[send_email]=1&options[learners][0][email]=a@example.com&options[teams][]=12`. ",
            "Action names are trimmed. List actions answer with a JSON array. Writing actions answer with one ",
            "result per item, in request order: one bad item never fails the whole call.\n\n",
            "**Errors.** `{\"error\": {\"message\": \"…\"}}` with 400 (malformed body, unknown action — the message ",
            "lists the supported ones), 401 (missing, invalid or expired token), 403, 404, 413 (too many items), ",
            "422 (options that cannot be acted on, such as an unknown team id) or 429. The token endpoint answers ",
            "with RFC 6749 §5.2 errors instead: `{\"error\": \"invalid_client\", \"error_description\": \"…\"}`.\n\n",
            "**Rate limits.** A token bucket per API client: it holds `SHOAL_API_BURST` calls (default 100) and ",
            "refills `SHOAL_API_RATE` calls per second (default 20); every call costs one. Every answer to an ",
            "authenticated call carries `X-RateLimit-Limit` (the bucket size) and `X-RateLimit-Remaining`. An empty ",
            "bucket answers 429 with `Retry-After` (seconds until the next call is allowed).\n\n",
            "**Idempotency.** Repeating an `inviteLearners` call within 24 hours returns the first answer and ",
            "creates and sends nothing again. Calls are matched by the optional `Idempotency-Key` header or, ",
            "without it, by the client and a hash of the options (a key reused with other options: 422).\n\n",
            "**Webhooks.** Settings → Webhooks sends signed `POST` requests to your URL when things happen; see ",
            "`webhooks` below for the payload and how to check the `Shoal-Signature` header."
        )
    })
}

fn security_schemes(base_url: &str) -> Value {
    json!({
        "oauth2": {
            "type": "oauth2",
            "description": "OAuth 2.0 client credentials. Register an application in Settings → API.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": format!("{base_url}/oauth/token"),
                    "scopes": {
                        "api": "Every action of the academy's API (the same as asking for no scope)."
                    }
                }
            }
        },
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "opaque",
            "description": concat!(
                "The access token from `POST /oauth/token`, as `Authorization: Bearer <token>`. ",
                "The bare token, `Authorization: <token>`, is accepted too."
            )
        },
        "clientBasic": {
            "type": "http",
            "scheme": "basic",
            "description": concat!(
                "Client authentication at the token endpoint (RFC 6749 §2.3.1): the Client ID as user name ",
                "and the Client Secret as password, instead of `client_id` and `client_secret` in the body."
            )
        }
    })
}

fn token_operation() -> Value {
    let token_request = json!({ "$ref": "#/components/schemas/TokenRequest" });
    json!({
        "operationId": "issueToken",
        "tags": ["OAuth"],
        "summary": "Exchange client credentials for an access token",
        "description": concat!(
            "OAuth 2.0 client credentials grant (RFC 6749 §4.4). The client authenticates with `client_id` ",
            "and `client_secret` in the body or with HTTP Basic. Tokens are opaque, valid for 7 days and ",
            "scoped to the application's academy. Too many failed attempts answer 429."
        ),
        "security": [{}, { "clientBasic": [] }],
        "requestBody": {
            "required": true,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": token_request,
                    "example": {
                        "grant_type": "client_credentials",
                        "client_id": "your-client-id",
                        "client_secret": "your-client-secret"
                    }
                },
                "application/json": {
                    "schema": token_request,
                    "example": {
                        "grant_type": "client_credentials",
                        "client_id": "your-client-id",
                        "client_secret": "your-client-secret",
                        "scope": ""
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": "The access token.",
                "headers": { "Cache-Control": { "$ref": "#/components/headers/CacheControlNoStore" } },
                "content": {
                    "application/json": {
                        "schema": { "$ref": "#/components/schemas/TokenResponse" },
                        "example": {
                            "token_type": "Bearer",
                            "expires_in": 604800,
                            "access_token": "q3Yt0m9y0cWgV2o8i3cW9vQeJbQy6wJ3m1tQ2k8cFhA",
                            "scope": ""
                        }
                    }
                }
            },
            "400": {
                "description": concat!(
                    "`invalid_request` (a parameter is missing or malformed), `unsupported_grant_type` (only ",
                    "`client_credentials` is supported) or `invalid_scope` (only `api` or no scope)."
                ),
                "headers": { "Cache-Control": { "$ref": "#/components/headers/CacheControlNoStore" } },
                "content": {
                    "application/json": {
                        "schema": { "$ref": "#/components/schemas/OAuthError" },
                        "example": {
                            "error": "unsupported_grant_type",
                            "error_description": "Only the client_credentials grant is supported"
                        }
                    }
                }
            },
            "401": {
                "description": concat!(
                    "`invalid_client`: unknown client, wrong secret or revoked application. When the client ",
                    "authenticated with HTTP Basic the answer carries `WWW-Authenticate`."
                ),
                "headers": {
                    "Cache-Control": { "$ref": "#/components/headers/CacheControlNoStore" },
                    "WWW-Authenticate": { "$ref": "#/components/headers/WWWAuthenticateBasic" }
                },
                "content": {
                    "application/json": {
                        "schema": { "$ref": "#/components/schemas/OAuthError" },
                        "example": {
                            "error": "invalid_client",
                            "error_description": "Unknown client, wrong secret, or the application was revoked."
                        }
                    }
                }
            },
            "429": {
                "description": concat!(
                    "Too many failed attempts from this address; try again after `Retry-After` seconds. ",
                    "The body is the API's error envelope, as RFC 6749 has no error code for this."
                ),
                "headers": { "Retry-After": { "$ref": "#/components/headers/RetryAfter" } },
                "content": {
                    "application/json": {
                        "schema": { "$ref": "#/components/schemas/Error" },
                        "example": { "error": { "message": "Too many failed attempts; try again in 60 seconds." } }
                    }
                }
            }
        }
    })
}

fn action_operation() -> Value {
    let mut request_examples = Map::new();
    let mut response_examples = Map::new();
    for action in api_actions::ACTIONS {
        let (request, response) = examples(action);
        request_examples.insert(action.to_owned(), json!({ "value": request }));
        response_examples.insert(action.to_owned(), json!({ "value": response }));
    }
    let responses: Vec<Value> = api_actions::ACTIONS
        .iter()
        .map(|action| {
            json!({ "$ref": format!("#/components/schemas/{}Response", schema_name(action)) })
        })
        .collect();
    json!({
        "operationId": "callAction",
        "tags": ["Actions"],
        "summary": "Call an action",
        "description": concat!(
            "The one endpoint of the API (`POST /api/v1` works as well). The body names the `action` and ",
            "carries its `options`; the answer's shape depends on the action (see each `…Response` schema). ",
            "An unknown action answers 400 with the list of supported actions."
        ),
        "security": [{ "oauth2": [] }, { "bearer": [] }],
        "parameters": [{ "$ref": "#/components/parameters/IdempotencyKey" }],
        "requestBody": {
            "required": true,
            "description": concat!(
                "JSON, or form-encoded with bracket notation for the nested options: ",
                "`action=inviteLearners&options[send_email]=1&options[learners][0][email]=a@example.com",
                "&options[learners][0][first_name]=Ada&options[teams][]=12&options[teams][]=14`. ",
                "Form values are strings: booleans accept `1`, `0`, `true` and `false`, ids are numeric strings, ",
                "and a list is written `options[teams][]=…` (repeated) or `options[teams][0]=…`."
            ),
            "content": {
                "application/json": {
                    "schema": { "$ref": "#/components/schemas/ActionRequest" },
                    "examples": request_examples
                },
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "$ref": "#/components/schemas/ActionRequest",
                        "description": concat!(
                            "The same fields as the JSON body, with `options` in bracket notation ",
                            "(`options[learners][0][email]`, `options[teams][]`) and every value a string."
                        )
                    },
                    "encoding": {
                        "options": { "style": "deepObject", "explode": true }
                    }
                }
            }
        },
        "responses": {
            "200": {
                "description": concat!(
                    "The action's answer, always a JSON array: one result per item in request order for ",
                    "the writing actions (`inviteLearners`, `addLearnersToTeams` and the lifecycle actions), ",
                    "the requested page for the lists."
                ),
                "headers": rate_limit_headers(),
                "content": {
                    "application/json": {
                        "schema": {
                            // `anyOf`, not `oneOf`: an empty array is a valid answer of every list action.
                            "anyOf": responses
                        },
                        "examples": response_examples
                    }
                }
            },
            "400": { "$ref": "#/components/responses/BadRequest" },
            "401": { "$ref": "#/components/responses/Unauthorized" },
            "403": { "$ref": "#/components/responses/Forbidden" },
            "404": { "$ref": "#/components/responses/NotFound" },
            "413": { "$ref": "#/components/responses/PayloadTooLarge" },
            "422": { "$ref": "#/components/responses/UnprocessableEntity" },
            "429": { "$ref": "#/components/responses/TooManyRequests" }
        }
    })
}

fn openapi_operation() -> Value {
    json!({
        "operationId": "getOpenApiDocument",
        "tags": ["Documents"],
        "summary": "This document",
        "security": [],
        "responses": {
            "200": {
                "description": "The OpenAPI 3.1 description of this API.",
                "content": { "application/json": { "schema": { "type": "object" } } }
            }
        }
    })
}

/// A request and a 200 answer for each action, shown beside the schemas.
fn examples(action: &str) -> (Value, Value) {
    match action {
        "inviteLearners" => (
            json!({
                "action": "inviteLearners",
                "options": {
                    "learners": [
                        { "email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace" },
                        { "email": "alan@example.com", "role": "learner_analyst" },
                        { "email": "grace@example.com" }
                    ],
                    "teams": [12],
                    "send_email": true,
                    "message": "Welcome to Acme! Start with the course \"First week\"."
                }
            }),
            json!([
                { "email": "ada@example.com", "status": "invited", "invite_id": 501 },
                { "email": "alan@example.com", "status": "already_invited", "invite_id": 377 },
                { "email": "grace@example.com", "status": "already_learner", "added_to_teams": 1 }
            ]),
        ),
        "addLearnersToTeams" => (
            json!({
                "action": "addLearnersToTeams",
                "options": { "emails": ["grace@example.com", "ada@example.com", "nobody@example.com"], "teams": [12, 14] }
            }),
            json!([
                { "email": "grace@example.com", "status": "added", "teams": [14] },
                { "email": "ada@example.com", "status": "invite_updated", "teams": [12, 14] },
                {
                    "email": "nobody@example.com",
                    "status": "error",
                    "message": "No learner or pending invitation with this email address in this academy"
                }
            ]),
        ),
        "getTeams" => (
            json!({ "action": "getTeams", "options": {} }),
            json!([
                { "id": 12, "name": "Sales", "color": "#0b6e99", "learners_count": 18, "invites_count": 3 }
            ]),
        ),
        "learners" => (
            json!({
                "action": "learners",
                "options": { "dates": ["2025-01-01", "2025-01-31"], "offset": 0, "limit": 100 }
            }),
            json!([{
                "id": 41,
                "email": "grace@example.com",
                "first_name": "Grace",
                "last_name": "Hopper",
                "role": "learner",
                "registered_at": "2025-01-14T09:30:00Z",
                "last_sign_in_at": null,
                "teams": [{ "id": 12, "name": "Sales" }]
            }]),
        ),
        "invites" => (
            json!({ "action": "invites", "options": { "status": "pending", "limit": 100 } }),
            json!([{
                "id": 501,
                "email": "ada@example.com",
                "first_name": "Ada",
                "last_name": "Lovelace",
                "role": "learner",
                "status": "pending",
                "email_status": "sent",
                "email_error": null,
                "invitation_progress": "Has not accepted invite",
                "source": "api",
                "created_at": "2025-01-20T10:00:00Z",
                "expires_at": "2025-02-03T10:00:00Z",
                "accepted_at": null,
                "teams": [{ "id": 12, "name": "Sales" }]
            }]),
        ),
        other => super::openapi_lifecycle::examples(other)
            .unwrap_or_else(|| (json!({ "action": other, "options": {} }), json!([]))),
    }
}

fn parameters() -> Value {
    json!({
        "IdempotencyKey": {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "description": concat!(
                "Makes a repeated `inviteLearners` call safe: the same key within 24 hours returns the first ",
                "answer and invites and emails nobody again; the same key with other options is refused with ",
                "422. Without it the call is matched by the client and a hash of its options."
            ),
            "schema": { "type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$" },
            "example": "import-2025-01-20-batch-3"
        },
        "ShoalSignature": {
            "name": "Shoal-Signature",
            "in": "header",
            "required": true,
            "description": concat!(
                "`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>`, where the secret is the ",
                "webhook's signing secret (`whsec_…`, shown in Settings → Webhooks). To verify: take `t` and `v1`, compute HMAC-SHA256 over `t`, a `.` and the ",
                "request body exactly as received (before any JSON parsing), compare the lowercase hex with ",
                "`v1` in constant time, and refuse a `t` far from your clock (a few minutes) to stop replays."
            ),
            "schema": { "type": "string" },
            "example": "t=1737367200,v1=5d1e3f0c9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"
        },
        "ShoalEvent": {
            "name": "Shoal-Event",
            "in": "header",
            "required": true,
            "description": "The event's name, the same as the payload's `event`.",
            "schema": { "type": "string", "enum": EVENTS.map(|(name, _)| name) }
        },
        "ShoalDelivery": {
            "name": "Shoal-Delivery",
            "in": "header",
            "required": true,
            "description": concat!(
                "The delivery's id (the payload's `id`), the same on every retry; the webhook's delivery log ",
                "in Settings → Webhooks lists deliveries by it."
            ),
            "schema": { "type": "string", "pattern": "^[0-9]+$" },
            "example": "1042"
        }
    })
}

fn headers() -> Value {
    json!({
        "RetryAfter": {
            "description": "Seconds to wait before the next call is allowed.",
            "required": true,
            "schema": { "type": "integer", "minimum": 0 }
        },
        "XRateLimitLimit": {
            "description": "How many calls the client's bucket holds when full (`SHOAL_API_BURST`, default 100).",
            "schema": { "type": "integer", "minimum": 0 }
        },
        "XRateLimitRemaining": {
            "description": "How many calls the client may make right now.",
            "schema": { "type": "integer", "minimum": 0 }
        },
        "CacheControlNoStore": {
            "description": "Token answers are never cached.",
            "schema": { "type": "string", "const": "no-store" }
        },
        "WWWAuthenticateBasic": {
            "description": "Sent when the client used HTTP Basic authentication.",
            "schema": { "type": "string" },
            "example": "Basic realm=\"shoal\""
        },
        "WWWAuthenticateBearer": {
            "description": "The scheme the API expects.",
            "schema": { "type": "string" },
            "example": "Bearer realm=\"shoal\""
        }
    })
}

fn rate_limit_headers() -> Value {
    json!({
        "X-RateLimit-Limit": { "$ref": "#/components/headers/XRateLimitLimit" },
        "X-RateLimit-Remaining": { "$ref": "#/components/headers/XRateLimitRemaining" }
    })
}

fn error_response(description: &str, message: &str, rate_limited: bool) -> Value {
    let mut response = json!({
        "description": description,
        "content": {
            "application/json": {
                "schema": { "$ref": "#/components/schemas/Error" },
                "example": { "error": { "message": message } }
            }
        }
    });
    if rate_limited {
        response["headers"] = rate_limit_headers();
    }
    response
}

fn responses() -> Value {
    let supported = api_actions::ACTIONS.join(", ");
    let mut too_many = error_response(
        "The client's rate limit is used up; try again after `Retry-After` seconds.",
        "Too many requests: try again in 1 second",
        true,
    );
    too_many["headers"]["Retry-After"] = json!({ "$ref": "#/components/headers/RetryAfter" });
    let mut unauthorized = error_response(
        "No token, or a token that is unknown, expired or revoked. Rate-limit headers are not sent: \
         the client is not known.",
        "Missing, unknown, expired or revoked access token. Get one at POST /oauth/token and send it as \
         \"Authorization: Bearer <token>\".",
        false,
    );
    unauthorized["headers"] =
        json!({ "WWW-Authenticate": { "$ref": "#/components/headers/WWWAuthenticateBearer" } });
    json!({
        "BadRequest": error_response(
            "The body cannot be read (malformed JSON or form, not an object, `options` not an object), \
             `action` is missing or unknown (the message lists the supported actions), or the \
             `Idempotency-Key` header is malformed.",
            &format!("Unknown action \"getTeam\". Supported actions: {supported}."),
            true,
        ),
        "Unauthorized": unauthorized,
        "Forbidden": error_response(
            "The token is valid but may not make this call.",
            "This client may not make this call",
            true,
        ),
        "NotFound": error_response(
            "Something the call refers to does not exist.",
            "Not found",
            true,
        ),
        "PayloadTooLarge": error_response(
            &format!(
                "Too many items in one call: more than {MAX_LEARNERS} learners, more than {MAX_EMAILS} \
                 emails or more than {MAX_TEAMS_PER_CALL} teams."
            ),
            &format!(
                "At most {MAX_LEARNERS} learners per call; this one has 1200. Split them into several calls."
            ),
            true,
        ),
        "UnprocessableEntity": error_response(
            "The options cannot be acted on: a required list missing or empty, a value of the wrong type \
             (`offset`, `limit`, `dates`, `status`, `send_email`), or in `inviteLearners` a team id that is \
             not a team of the academy (the message names the ids).",
            "Unknown team id 123: getTeams lists this academy's teams.",
            true,
        ),
        "TooManyRequests": too_many
    })
}

fn schemas() -> Value {
    let mut schemas = Map::new();
    let mut put = |name: &str, schema: Value| {
        schemas.insert(name.to_owned(), schema);
    };
    put("Error", error_schema());
    put("OAuthError", oauth_error_schema());
    put("TokenRequest", token_request_schema());
    put("TokenResponse", token_response_schema());
    put("ActionRequest", action_request_schema());
    put("TeamId", team_id_schema());
    put("TeamRef", team_ref_schema());
    put("LearnerRole", learner_role_schema());
    put("Role", role_schema());
    put("InviteStatus", invite_status_schema());
    put("EmailStatus", email_status_schema());
    put("Offset", offset_schema());
    put("Limit", limit_schema());

    put("InviteLearnersRequest", invite_learners_request());
    put("LearnerToInvite", learner_to_invite_schema());
    put("InviteLearnersResponse", invite_learners_response());
    put("InviteLearnersResult", invite_learners_result());

    put("AddLearnersToTeamsRequest", add_learners_to_teams_request());
    put(
        "AddLearnersToTeamsResponse",
        add_learners_to_teams_response(),
    );
    put("AddLearnersToTeamsResult", add_learners_to_teams_result());

    put("GetTeamsRequest", get_teams_request());
    put(
        "GetTeamsResponse",
        list_response("Team", "The academy's teams."),
    );
    put("Team", team_schema());

    put("LearnersRequest", learners_request());
    let mut every_learner = list_response(
        "Learner",
        "The academy's active learners (roles `learner`, `learner_analyst` and `learner_admin`), \
         oldest account first: every one that matches when the call gives no `limit` (written out as \
         it is read, so the list has no upper size), else one page.",
    );
    every_learner
        .as_object_mut()
        .map(|schema| schema.remove("maxItems"));
    put("LearnersResponse", every_learner);
    put("Learner", learner_schema());

    put("InvitesRequest", invites_request());
    put(
        "InvitesResponse",
        list_response(
            "Invite",
            "One page of the academy's invitations, oldest first.",
        ),
    );
    put("Invite", invite_schema());

    put("WebhookEvent", webhook_event_schema());
    super::openapi_lifecycle::schemas(schema_name, &mut schemas);
    Value::Object(schemas)
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "description": "Every error of `/api/v1/`.",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["message"],
                "properties": {
                    "message": {
                        "type": "string",
                        "description": "What is wrong with the request, in words meant for a person."
                    }
                }
            }
        }
    })
}

fn oauth_error_schema() -> Value {
    json!({
        "type": "object",
        "description": "An error of the token endpoint (RFC 6749 §5.2).",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "string",
                "enum": ["invalid_request", "invalid_client", "unsupported_grant_type", "invalid_scope"]
            },
            "error_description": {
                "type": "string",
                "description": "What went wrong, in words meant for a person."
            }
        }
    })
}

fn token_request_schema() -> Value {
    json!({
        "type": "object",
        "required": ["grant_type"],
        "properties": {
            "grant_type": {
                "type": "string",
                "enum": ["client_credentials"],
                "description": "Always `client_credentials`."
            },
            "client_id": {
                "type": "string",
                "description": "The application's Client ID. Required unless the client uses HTTP Basic."
            },
            "client_secret": {
                "type": "string",
                "format": "password",
                "description": "The application's Client Secret. Required unless the client uses HTTP Basic."
            },
            "scope": {
                "type": "string",
                "enum": ["", "api"],
                "description": "Optional; empty or `api`, both granting every action. Any other value is `invalid_scope`."
            }
        }
    })
}

fn token_response_schema() -> Value {
    json!({
        "type": "object",
        "required": ["token_type", "expires_in", "access_token", "scope"],
        "properties": {
            "token_type": { "type": "string", "const": "Bearer" },
            "expires_in": {
                "type": "integer",
                "const": 604800,
                "description": "Seconds the token stays valid: 7 days."
            },
            "access_token": {
                "type": "string",
                "minLength": 43,
                "maxLength": 43,
                "description": "Opaque; send it as `Authorization: Bearer <token>`. Shoal keeps only its hash."
            },
            "scope": { "type": "string", "description": "The scope granted, as asked for (may be empty)." }
        }
    })
}

fn action_request_schema() -> Value {
    let mut mapping = Map::new();
    let mut one_of = Vec::new();
    for action in api_actions::ACTIONS {
        let reference = format!("#/components/schemas/{}Request", schema_name(action));
        mapping.insert(action.to_owned(), Value::String(reference.clone()));
        one_of.push(json!({ "$ref": reference }));
    }
    json!({
        "description": "The body of every call: the `action` to run and its `options`.",
        "oneOf": one_of,
        "discriminator": { "propertyName": "action", "mapping": mapping }
    })
}

/// `{action, options}` for one action; `options` may be left out when none of its fields is required.
fn request(action: &str, description: &str, options: Value, options_required: bool) -> Value {
    let required = if options_required {
        json!(["action", "options"])
    } else {
        json!(["action"])
    };
    json!({
        "type": "object",
        "description": description,
        "required": required,
        "properties": {
            "action": {
                "type": "string",
                "const": action,
                "description": "The action's name; surrounding spaces are ignored."
            },
            "options": options
        }
    })
}

fn list_response(item: &str, description: &str) -> Value {
    json!({
        "type": "array",
        "description": description,
        "maxItems": MAX_PAGE,
        "items": { "$ref": format!("#/components/schemas/{item}") }
    })
}

fn team_id_schema() -> Value {
    json!({
        "type": "integer",
        "format": "int64",
        "minimum": 1,
        "description": "A team's API id (`getTeams` lists them). A numeric string in form-encoded bodies."
    })
}

fn team_ref_schema() -> Value {
    json!({
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": { "$ref": "#/components/schemas/TeamId" },
            "name": { "type": "string" }
        }
    })
}

fn learner_role_schema() -> Value {
    json!({
        "type": "string",
        "enum": LEARNER_ROLES.map(Role::as_str),
        "description": concat!(
            "`learner`: takes courses. `learner_analyst`: also sees statistics. `learner_admin`: also ",
            "invites learners and manages teams and courses (on plans that include it)."
        )
    })
}

fn role_schema() -> Value {
    json!({
        "type": "string",
        "enum": Role::ALL.map(Role::as_str),
        "description": "A person's role in the academy."
    })
}

fn invite_status_schema() -> Value {
    json!({
        "type": "string",
        "enum": ["pending", "accepted", "revoked", "expired"],
        "description": concat!(
            "`pending`: not yet accepted and still valid. `accepted`: the person registered. `revoked`: ",
            "withdrawn by an admin. `expired`: pending past its expiry time."
        )
    })
}

fn email_status_schema() -> Value {
    json!({
        "type": "string",
        "enum": ["not_requested", "queued", "sent", "retrying", "failed", "reminder_sent"],
        "description": concat!(
            "What happened to the invitation email. `not_requested`: sending was turned off. `queued`: ",
            "waiting to be sent. `sent`: accepted by the mail server. `retrying`: a send failed and will be ",
            "retried (see `email_error`). `failed`: every retry failed. `reminder_sent`: the reminder the ",
            "academy sends before a link expires went out too (Settings → Invitations)."
        )
    })
}

fn offset_schema() -> Value {
    json!({
        "type": "integer",
        "format": "int64",
        "minimum": 0,
        "default": 0,
        "description": "How many items of the list to skip."
    })
}

fn limit_schema() -> Value {
    json!({
        "type": "integer",
        "format": "int64",
        "minimum": 0,
        "maximum": MAX_PAGE,
        "default": MAX_PAGE,
        "description": format!("How many items to return, at most {MAX_PAGE}.")
    })
}

fn invite_learners_request() -> Value {
    request(
        "inviteLearners",
        concat!(
            "Invite people to the academy, or update their pending invitation, or add existing learners to ",
            "the given teams. Answers `InviteLearnersResponse`."
        ),
        json!({
            "type": "object",
            "required": ["learners"],
            "properties": {
                "learners": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_LEARNERS,
                    "description": format!(
                        "The people to invite, 1 to {MAX_LEARNERS} (more answers 413, none answers 422). \
                         A learner that cannot be invited (an address that is not one, the same address twice \
                         in the call, a role the academy's plan does not offer) gets an `error` result; the \
                         others are still invited."
                    ),
                    "items": { "$ref": "#/components/schemas/LearnerToInvite" }
                },
                "teams": {
                    "type": "array",
                    "maxItems": MAX_TEAMS_PER_CALL,
                    "description": format!(
                        "Teams every learner of the call joins (on acceptance for invitations, at once for \
                         existing learners), at most {MAX_TEAMS_PER_CALL}. An id that is not a team of the \
                         academy answers 422."
                    ),
                    "items": { "$ref": "#/components/schemas/TeamId" }
                },
                "send_email": {
                    "type": "boolean",
                    "default": true,
                    "description": "Send the invitation email. Off: the invites are created without an email."
                },
                "message": {
                    "type": "string",
                    "maxLength": MESSAGE_MAX_CHARS,
                    "description": format!(
                        "A personal message shown above the link in the invitation emails of this call \
                         (and in their reminders), at most {MESSAGE_MAX_CHARS} characters and \
                         {MESSAGE_MAX_LINES} lines; \"\" sends none. Left out: the academy's default message \
                         (Settings → Invitations). A message with a control character answers 422."
                    )
                }
            }
        }),
        true,
    )
}

fn learner_to_invite_schema() -> Value {
    json!({
        "type": "object",
        "required": ["email", "first_name"],
        "properties": {
            "email": {
                "type": "string",
                "format": "email",
                "description": format!(
                    "The person's email address (at most {} characters), matched case-insensitively.",
                    email::MAX_LEN
                )
            },
            "first_name": {
                "type": "string",
                "description": format!("Required, as in the invite form and the CSV upload; 1–{PERSON_NAME_MAX_LEN} characters. Missing → an `error` item for this learner.")
            },
            "last_name": {
                "type": "string",
                "description": format!("Optional; at most {PERSON_NAME_MAX_LEN} characters.")
            },
            "role": {
                "$ref": "#/components/schemas/LearnerRole",
                "default": "learner",
                "description": "The role the person gets on registering; `learner` when left out."
            }
        }
    })
}

fn invite_learners_response() -> Value {
    json!({
        "type": "array",
        "description": "One result per learner of the request, in the same order.",
        "maxItems": MAX_LEARNERS,
        "items": { "$ref": "#/components/schemas/InviteLearnersResult" }
    })
}

fn invite_learners_result() -> Value {
    json!({
        "type": "object",
        "required": ["email", "status"],
        "properties": {
            "email": { "type": "string", "description": "The address as given in the request." },
            "status": {
                "type": "string",
                "enum": ["invited", "already_invited", "already_learner", "error"],
                "description": concat!(
                    "`invited`: a new invitation. `already_invited`: the person's pending invitation was ",
                    "updated with this call's details. `already_learner`: the person is a ",
                    "learner already and was added to the given teams. `error`: nothing was done; see `message`."
                )
            },
            "invite_id": {
                "type": "integer",
                "format": "int64",
                "description": "The invitation's id; with `invited` and `already_invited`."
            },
            "added_to_teams": {
                "type": "integer",
                "minimum": 0,
                "description": "With `already_learner`: how many of the given teams the learner newly joined."
            },
            "message": {
                "type": "string",
                "description": "With `error`: why, in words meant for a person.",
                "examples": ["\"bob@@example.com\" has more than one @"]
            }
        }
    })
}

fn add_learners_to_teams_request() -> Value {
    request(
        "addLearnersToTeams",
        concat!(
            "Add learners to teams by email; a pending invitation gets the teams too and they apply when ",
            "it is accepted. Answers `AddLearnersToTeamsResponse`."
        ),
        json!({
            "type": "object",
            "required": ["emails", "teams"],
            "properties": {
                "emails": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_EMAILS,
                    "description": format!("The learners' email addresses, 1 to {MAX_EMAILS}."),
                    "items": { "type": "string", "format": "email" }
                },
                "teams": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_TEAMS_PER_CALL,
                    "description": format!(
                        "The teams to add them to, 1 to {MAX_TEAMS_PER_CALL}. Unknown ids are reported as an \
                         `error` on every result."
                    ),
                    "items": { "$ref": "#/components/schemas/TeamId" }
                }
            }
        }),
        true,
    )
}

fn add_learners_to_teams_response() -> Value {
    json!({
        "type": "array",
        "description": "One result per email of the request, in the same order.",
        "maxItems": MAX_EMAILS,
        "items": { "$ref": "#/components/schemas/AddLearnersToTeamsResult" }
    })
}

fn add_learners_to_teams_result() -> Value {
    json!({
        "type": "object",
        "required": ["email", "status"],
        "properties": {
            "email": { "type": "string", "description": "The address as given in the request." },
            "status": {
                "type": "string",
                "enum": ["added", "already_in_team", "invite_updated", "error"],
                "description": concat!(
                    "`added`: the learner joined at least one of the teams. `already_in_team`: the learner ",
                    "was in every team already. `invite_updated`: the address has a pending invitation, which ",
                    "now includes the teams. `error`: see `message` (not an address, no learner or pending ",
                    "invitation with this address, unknown team ids — those are reported on every result)."
                )
            },
            "teams": {
                "type": "array",
                "description": "With every status but `error`: the teams newly added (empty when none was).",
                "items": { "$ref": "#/components/schemas/TeamId" }
            },
            "message": {
                "type": "string",
                "description": "With `error`: why, in words meant for a person.",
                "examples": [
                    "No learner or pending invitation with this email address in this academy",
                    "Unknown team id 123: getTeams lists this academy's teams."
                ]
            }
        }
    })
}

fn get_teams_request() -> Value {
    request(
        "getTeams",
        "List the academy's teams. Takes no options. Answers `GetTeamsResponse`.",
        json!({ "type": "object", "description": "No options; `{}` or left out." }),
        false,
    )
}

fn team_schema() -> Value {
    json!({
        "type": "object",
        "required": ["id", "name", "color", "learners_count", "invites_count"],
        "properties": {
            "id": { "$ref": "#/components/schemas/TeamId" },
            "name": { "type": "string" },
            "color": {
                "type": "string",
                "pattern": "^#[0-9a-fA-F]{6}$",
                "description": "The team's colour as `#rrggbb`."
            },
            "learners_count": { "type": "integer", "minimum": 0, "description": "Learners in the team." },
            "invites_count": {
                "type": "integer",
                "minimum": 0,
                "description": "Pending invitations that will join the team on acceptance."
            }
        }
    })
}

fn learners_request() -> Value {
    request(
        "learners",
        "List the academy's learners: all of them, or a page at a time with `limit`. Answers `LearnersResponse`.",
        json!({
            "type": "object",
            "properties": {
                "dates": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 2,
                    "description": concat!(
                        "`[from, to]` on registration time, as dates (`YYYY-MM-DD`), times in UTC as in the ",
                        "reference product's example (`YYYY-MM-DD HH:MM:SS`) or RFC 3339 date-times. `to` is ",
                        "inclusive to its last unit: `2017-07-25` or `2017-07-25 23:59:59` take in that whole ",
                        "day or second. Left out: every learner."
                    ),
                    "items": {
                        "type": "string",
                        "anyOf": [
                            { "format": "date" },
                            { "pattern": "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$" },
                            { "format": "date-time" }
                        ]
                    },
                    "example": ["2017-07-25 00:00:00", "2017-07-25 23:59:59"]
                },
                "status": {
                    "type": "string",
                    "enum": ["active", "deactivated", "all"],
                    "default": "active",
                    "description": "Which learners: those who can sign in (default), those whose access was revoked, or all."
                },
                "offset": { "$ref": "#/components/schemas/Offset" },
                "limit": {
                    "type": "integer",
                    "format": "int64",
                    "minimum": 0,
                    "maximum": MAX_PAGE,
                    "description": format!(
                        "How many learners to return, at most {MAX_PAGE}. Left out: every learner that matches (after `offset`)."
                    )
                }
            }
        }),
        false,
    )
}

fn nullable_time(description: &str) -> Value {
    json!({ "type": ["string", "null"], "format": "date-time", "description": description })
}

fn learner_schema() -> Value {
    json!({
        "type": "object",
        "required": [
            "id", "email", "first_name", "last_name", "role", "status", "registered_at", "last_sign_in_at", "teams"
        ],
        "properties": {
            "id": { "type": "integer", "format": "int64" },
            "email": { "type": "string", "format": "email" },
            "first_name": { "type": "string" },
            "last_name": { "type": "string" },
            "role": { "$ref": "#/components/schemas/LearnerRole" },
            "status": {
                "type": "string",
                "enum": ["active", "deactivated"],
                "description": "`deactivated`: an admin revoked the learner's access (they cannot sign in until it is given back)."
            },
            "registered_at": {
                "type": "string",
                "format": "date-time",
                "description": "When the learner registered (RFC 3339, UTC)."
            },
            "last_sign_in_at": nullable_time("The learner's last sign-in (RFC 3339, UTC); null if never."),
            "teams": {
                "type": "array",
                "description": "The teams the learner is in.",
                "items": { "$ref": "#/components/schemas/TeamRef" }
            }
        }
    })
}

fn invites_request() -> Value {
    request(
        "invites",
        "List the academy's invitations, a page at a time. Answers `InvitesResponse`.",
        json!({
            "type": "object",
            "properties": {
                "status": {
                    "$ref": "#/components/schemas/InviteStatus",
                    "description": "Only invitations with this status; left out: all of them."
                },
                "offset": { "$ref": "#/components/schemas/Offset" },
                "limit": { "$ref": "#/components/schemas/Limit" }
            }
        }),
        false,
    )
}

fn invite_schema() -> Value {
    json!({
        "type": "object",
        "required": [
            "id", "email", "first_name", "last_name", "role", "status", "email_status", "email_error",
            "invitation_progress", "source", "created_at", "expires_at", "accepted_at", "teams"
        ],
        "properties": {
            "id": { "type": "integer", "format": "int64" },
            "email": { "type": "string", "format": "email" },
            "first_name": { "type": "string" },
            "last_name": { "type": "string" },
            "role": { "$ref": "#/components/schemas/Role" },
            "status": { "$ref": "#/components/schemas/InviteStatus" },
            "email_status": { "$ref": "#/components/schemas/EmailStatus" },
            "email_error": {
                "type": ["string", "null"],
                "description": "The last sending error with `retrying` and `failed`; otherwise null."
            },
            "invitation_progress": {
                "type": "string",
                "enum": ["Has accepted invite", "Has not accepted invite", "Expired", "Revoked"],
                "description": "The \"Invitation Progress\" column of the admin's Invites tab."
            },
            "source": {
                "type": "string",
                "enum": ["form", "csv", "team", "api"],
                "description": "Where the invitation came from."
            },
            "created_at": { "type": "string", "format": "date-time", "description": "RFC 3339, UTC." },
            "expires_at": { "type": "string", "format": "date-time", "description": "RFC 3339, UTC." },
            "accepted_at": nullable_time("When the invitation was accepted (RFC 3339, UTC); null if not."),
            "teams": {
                "type": "array",
                "description": "The teams the person joins on acceptance.",
                "items": { "$ref": "#/components/schemas/TeamRef" }
            }
        }
    })
}

fn webhook_event_schema() -> Value {
    json!({
        "type": "object",
        "description": "The body of every webhook delivery.",
        "required": ["id", "event", "created_at", "academy", "data"],
        "properties": {
            "id": {
                "type": "integer",
                "format": "int64",
                "description": concat!(
                    "The delivery's id, also sent as `Shoal-Delivery`. Every retry of a delivery repeats the same ",
                    "id and the same bytes, so a receiver can drop a delivery it has already handled."
                )
            },
            "event": { "type": "string", "enum": EVENTS.map(|(name, _)| name) },
            "created_at": {
                "type": "string",
                "format": "date-time",
                "description": "When the event happened (RFC 3339, UTC)."
            },
            "academy": {
                "type": "object",
                "required": ["slug"],
                "properties": { "slug": { "type": "string", "description": "The academy's slug." } }
            },
            "data": {
                "type": "object",
                "additionalProperties": true,
                "description": "What the event is about (the invite, the learner); its fields depend on the event."
            }
        }
    })
}

fn webhooks() -> Value {
    let mut webhooks = Map::new();
    for (event, when) in EVENTS {
        let operation_id = format!("webhook_{}", event.replace('.', "_"));
        webhooks.insert(
            event.to_owned(),
            json!({
                "post": {
                    "operationId": operation_id,
                    "summary": format!("`{event}`"),
                    "description": format!(
                        "{when} Sent as a signed `POST` to each webhook subscribed to `{event}`. Any 2xx answer \
                         acknowledges the delivery; anything else, or no answer, is retried with backoff and \
                         shown in the webhook's delivery log."
                    ),
                    "security": [],
                    "parameters": [
                        { "$ref": "#/components/parameters/ShoalSignature" },
                        { "$ref": "#/components/parameters/ShoalEvent" },
                        { "$ref": "#/components/parameters/ShoalDelivery" }
                    ],
                    "requestBody": {
                        "required": true,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "allOf": [
                                        { "$ref": "#/components/schemas/WebhookEvent" },
                                        { "properties": { "event": { "const": event } } }
                                    ]
                                }
                            }
                        }
                    },
                    "responses": {
                        "2XX": { "description": "Received; the delivery is done." },
                        "default": { "description": "Not received; the delivery is retried later." }
                    }
                }
            }),
        );
    }
    Value::Object(webhooks)
}
