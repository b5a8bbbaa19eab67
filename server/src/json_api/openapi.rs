//! The OpenAPI 3.1 description of the external API (`GET /api/v1/openapi.json`): the token endpoint,
//! the one action endpoint as a union discriminated on `action`, and the signed webhooks.
//!
//! The schemas of every action's options and answers are derived from the types the server reads
//! and answers with (`app::model::api_v1`), and the list of actions is theirs, so the document
//! cannot describe an option or a field the server does not have. What is written here is what no
//! type carries: the envelope and its conventions (bracket-notation forms, the bare token, the
//! error shape, rate limits), the token endpoint and the webhooks, in words integrators need.

use app::model::api_v1::{
    self, Action, AddLearnersToTeamsResult, DeactivateLearnersResult, ErrorAnswer,
    InvitationProgress, Invite, InviteLearnersResult, InviteStatus, Learner, MAX_ITEMS, MAX_TEAMS,
    ReactivateLearnersResult, RemoveLearnersFromTeamsResult, ResendInvitesResult,
    RevokeInvitesResult, Team, TeamRef,
};
use app::{
    domain::{
        InviteId, TeamId, UserId,
        account::AccountStatus,
        invite::{EmailStatus, InviteSource},
        role::Role,
    },
    server::state::AppState,
};
use axum::{Json, extract::State};
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::OpenApi;

/// The schema names of an action: `inviteLearners` → `InviteLearners` (`…Request`, `…Response`).
pub fn schema_name(action: &str) -> String {
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
    for action in Action::ALL {
        let (options, answer) = examples(action);
        let request = json!({ "action": action.name(), "options": options });
        request_examples.insert(action.name().to_owned(), json!({ "value": request }));
        response_examples.insert(action.name().to_owned(), json!({ "value": answer }));
    }
    let responses: Vec<Value> = Action::ALL
        .iter()
        .map(|action| {
            json!({ "$ref": format!("#/components/schemas/{}Response", schema_name(action.name())) })
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

/// An example call's options and its 200 answer for `action`, shown beside the schemas. The
/// answers are built from the answer types, so they have the shape the server answers with.
pub fn examples(action: Action) -> (Value, Value) {
    let team = |id: i64| TeamId::new(id);
    let sales = || TeamRef {
        id: team(12),
        name: "Sales".into(),
    };
    let email = |e: &str| e.to_string();
    match action {
        Action::InviteLearners => (
            json!({
                "learners": [
                    { "email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace" },
                    { "email": "alan@example.com", "first_name": "Alan", "role": "learner_analyst" },
                    { "email": "grace@example.com", "first_name": "Grace" }
                ],
                "teams": [12],
                "send_email": true,
                "message": "Welcome to Acme! Start with the course \"First week\"."
            }),
            answer(vec![
                InviteLearnersResult::Invited {
                    email: email("ada@example.com"),
                    invite_id: InviteId::new(501),
                },
                InviteLearnersResult::AlreadyInvited {
                    email: email("alan@example.com"),
                    invite_id: InviteId::new(377),
                },
                InviteLearnersResult::AlreadyLearner {
                    email: email("grace@example.com"),
                    added_to_teams: 1,
                },
            ]),
        ),
        Action::AddLearnersToTeams => (
            json!({ "emails": ["grace@example.com", "ada@example.com", "nobody@example.com"], "teams": [12, 14] }),
            answer(vec![
                AddLearnersToTeamsResult::Added {
                    email: email("grace@example.com"),
                    teams: vec![team(14)],
                },
                AddLearnersToTeamsResult::InviteUpdated {
                    email: email("ada@example.com"),
                    teams: vec![team(12), team(14)],
                },
                AddLearnersToTeamsResult::Error {
                    email: email("nobody@example.com"),
                    message: "No learner or pending invitation with this email address in this academy".into(),
                },
            ]),
        ),
        Action::GetTeams => (
            json!({}),
            answer(vec![Team {
                id: team(12),
                name: "Sales".into(),
                color: "#0b6e99".into(),
                learners_count: 18,
                invites_count: 3,
            }]),
        ),
        Action::Learners => (
            json!({ "dates": ["2025-01-01", "2025-01-31"], "offset": 0, "limit": 100 }),
            answer(vec![Learner {
                id: UserId::new(41),
                email: email("grace@example.com"),
                first_name: "Grace".into(),
                last_name: "Hopper".into(),
                role: Role::Learner,
                status: AccountStatus::Active,
                registered_at: "2025-01-14T09:30:00Z".into(),
                last_sign_in_at: None,
                teams: vec![sales()],
            }]),
        ),
        Action::Invites => (
            json!({ "status": "pending", "limit": 100 }),
            answer(vec![Invite {
                id: InviteId::new(501),
                email: email("ada@example.com"),
                first_name: "Ada".into(),
                last_name: "Lovelace".into(),
                role: Role::Learner,
                status: InviteStatus::Pending,
                email_status: EmailStatus::Sent,
                email_error: None,
                invitation_progress: InvitationProgress::NotAccepted,
                source: InviteSource::Api,
                created_at: "2025-01-20T10:00:00Z".into(),
                expires_at: "2025-02-03T10:00:00Z".into(),
                accepted_at: None,
                teams: vec![sales()],
            }]),
        ),
        Action::DeactivateLearners => (
            json!({ "emails": ["grace@example.com", "ada@example.com", "owner@example.com"] }),
            answer(vec![
                DeactivateLearnersResult::Deactivated { email: email("grace@example.com") },
                DeactivateLearnersResult::AlreadyDeactivated { email: email("ada@example.com") },
                DeactivateLearnersResult::Error {
                    email: email("owner@example.com"),
                    message: "Staff are managed in Settings → Admins.".into(),
                },
            ]),
        ),
        Action::ReactivateLearners => (
            json!({ "emails": ["grace@example.com", "nobody@example.com"] }),
            answer(vec![
                ReactivateLearnersResult::Reactivated { email: email("grace@example.com") },
                ReactivateLearnersResult::Error {
                    email: email("nobody@example.com"),
                    message: "No learner with this email address in this academy".into(),
                },
            ]),
        ),
        Action::RemoveLearnersFromTeams => (
            json!({ "emails": ["grace@example.com", "ada@example.com"], "teams": [12] }),
            answer(vec![
                RemoveLearnersFromTeamsResult::Removed {
                    email: email("grace@example.com"),
                    teams: vec![team(12)],
                },
                RemoveLearnersFromTeamsResult::InviteUpdated {
                    email: email("ada@example.com"),
                    teams: vec![team(12)],
                },
            ]),
        ),
        Action::ResendInvites => (
            json!({ "emails": ["ada@example.com", "grace@example.com"] }),
            answer(vec![
                ResendInvitesResult::Resent { email: email("ada@example.com") },
                ResendInvitesResult::Error {
                    email: email("grace@example.com"),
                    message: "No pending invitation with this email address in this academy: the person is a member already".into(),
                },
            ]),
        ),
        Action::RevokeInvites => (
            json!({ "emails": ["ada@example.com"] }),
            answer(vec![RevokeInvitesResult::Revoked { email: email("ada@example.com") }]),
        ),
    }
}

/// An example answer as JSON.
fn answer<T: Serialize>(items: Vec<T>) -> Value {
    serde_json::to_value(items).unwrap_or_default()
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
                "example": serde_json::to_value(ErrorAnswer::new(message)).unwrap_or_default()
            }
        }
    });
    if rate_limited {
        response["headers"] = rate_limit_headers();
    }
    response
}

fn responses() -> Value {
    let supported: Vec<&str> = Action::ALL.map(Action::name).to_vec();
    let supported = supported.join(", ");
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
                "Too many items in one call: more than {MAX_ITEMS} learners, more than {MAX_ITEMS} \
                 emails or more than {MAX_TEAMS} teams."
            ),
            &format!(
                "At most {MAX_ITEMS} learners per call; this one has 1200. Split them into several calls."
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

/// The generated schemas of the actions' options and answers, and beside them the envelope: the
/// body of each action (`…Request`), its answer (`…Response`), the union of the bodies, the
/// errors, the token endpoint's and the webhooks' bodies.
fn schemas() -> Value {
    let generated = api_v1::Schemas::openapi()
        .components
        .map(|c| c.schemas)
        .unwrap_or_default();
    let mut schemas = match serde_json::to_value(generated) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let mut put = |name: &str, schema: Value| {
        schemas.insert(name.to_owned(), schema);
    };
    put("OAuthError", oauth_error_schema());
    put("TokenRequest", token_request_schema());
    put("TokenResponse", token_response_schema());
    put("ActionRequest", action_request_schema());
    put("WebhookEvent", webhook_event_schema());
    for action in Action::ALL {
        let name = schema_name(action.name());
        put(&format!("{name}Request"), request(action));
        put(&format!("{name}Response"), response(action));
    }
    Value::Object(schemas)
}

/// `{action, options}` for one action; `options` may be left out when none of its fields is required.
fn request(action: Action) -> Value {
    let (options, options_required) = action.options();
    let required = if options_required {
        json!(["action", "options"])
    } else {
        json!(["action"])
    };
    json!({
        "type": "object",
        "description": format!(
            "{} Answers `{}Response`.",
            action.description(),
            schema_name(action.name())
        ),
        "required": required,
        "properties": {
            "action": {
                "type": "string",
                "const": action.name(),
                "description": "The action's name; surrounding spaces are ignored."
            },
            "options": { "$ref": format!("#/components/schemas/{options}") }
        }
    })
}

/// The answer of one action: an array of its items.
fn response(action: Action) -> Value {
    let (item, most) = action.answer();
    let description = match action {
        Action::Learners => {
            "The academy's active learners (roles `learner`, `learner_analyst` and `learner_admin`), \
             oldest account first: every one that matches when the call gives no `limit` (written out as \
             it is read, so the list has no upper size), else one page."
        }
        Action::GetTeams => "Every team of the academy, by name.",
        Action::Invites => "One page of the academy's invitations, oldest first.",
        _ => "One result per item of the request, in the same order.",
    };
    let mut schema = json!({
        "type": "array",
        "description": description,
        "items": { "$ref": format!("#/components/schemas/{item}") }
    });
    if let Some(most) = most {
        schema["maxItems"] = json!(most);
    }
    schema
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
    for action in Action::ALL {
        let reference = format!("#/components/schemas/{}Request", schema_name(action.name()));
        mapping.insert(action.name().to_owned(), Value::String(reference.clone()));
        one_of.push(json!({ "$ref": reference }));
    }
    json!({
        "description": "The body of every call: the `action` to run and its `options`.",
        "oneOf": one_of,
        "discriminator": { "propertyName": "action", "mapping": mapping }
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
