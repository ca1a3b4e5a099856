//! The OpenAPI 3.1 description of the service; request and answer bodies refer to the
//! JSON Schemas served at `/v1/schema/{name}`.

use serde_json::{Value, json};

/// A reference to a schema served by `/v1/schema/{name}`.
fn schema(name: &str) -> Value {
    json!({ "$ref": format!("/v1/schema/{name}") })
}

fn problem_responses(codes: &[&str]) -> serde_json::Map<String, Value> {
    codes
        .iter()
        .map(|c| {
            let r = json!({
                "description": "A problem document (RFC 9457) naming the record, field and value",
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
            });
            ((*c).to_owned(), r)
        })
        .collect()
}

fn query(name: &str, description: &str, required: bool, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": required, "description": description, "schema": schema})
}

/// A POST endpoint taking a JSON body and answering JSON.
fn post(summary: &str, params: Vec<Value>, body: Value, answer: Value) -> Value {
    let mut responses = problem_responses(&["400", "401", "408", "413", "415", "422", "503"]);
    responses.insert(
        "200".to_owned(),
        json!({"description": "OK", "content": {"application/json": {"schema": answer}}}),
    );
    json!({"post": {
        "summary": summary,
        "parameters": params,
        "requestBody": {"required": true, "content": {"application/json": {"schema": body}}},
        "responses": responses,
    }})
}

fn get(summary: &str, params: Vec<Value>, answer: Value, errors: &[&str]) -> Value {
    let mut responses = problem_responses(errors);
    responses.insert(
        "200".to_owned(),
        json!({"description": "OK", "content": {"application/json": {"schema": answer}}}),
    );
    json!({"get": {"summary": summary, "parameters": params, "responses": responses}})
}

/// The document.
pub(crate) fn document() -> Value {
    let as_of = query(
        "as_of",
        "The evaluation's date, YYYY-MM-DD exactly (default 2020-04-01)",
        false,
        json!({"type": "string", "format": "date"}),
    );
    let lang = query(
        "lang",
        "The language of steps, labels, messages and problem details (default zh; a problem with lang itself is written in both)",
        false,
        json!({"enum": ["zh", "en"]}),
    );
    let clerk = query(
        "clerk_formats",
        "true: the roster's dates and amounts may be written as Excel and WPS write them (2020/3/1, 2020年3月1日, \"1,234.50\", \"¥500\"); ambiguous forms (3/1/2020) are still refused (default false: YYYY-MM-DD and plain decimals only)",
        false,
        json!({"type": "boolean"}),
    );
    let roster = schema("roster");
    // One of a problem's `errors` (apart: a `json!` this deep exceeds the macro's recursion).
    let problem_item = json!({"type": "object", "properties": {
        "list": {"type": "string"}, "index": {"type": "integer"},
        "id": {"type": ["string", "null"]}, "field": {"type": "string"},
        "value": {"type": "string", "description": "the value as JSON"},
        "at": {"type": "string"}, "message": {"type": "string"},
        "operation": {"type": "object", "description": "an amount too large: the operation that did not fit ({op: product, lhs, rhs} or {op: sum, terms}), each operand {term, value}"},
        "inputs": {"type": "array", "description": "an amount too large: every value its amount was given up to then, in order; a record's field named by its column", "items": {"type": "object", "properties": {
            "term": {"type": "string"}, "value": {"type": "string"}
        }}},
        "omitted": {"type": "integer"}
    }});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "jiuye-fupin",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "就业扶贫 rules as code, for the county policy this service was started with (GET /v1/policy; the Yang County 2020 preset by default): decisions exact to the fen, explained, with their clause. Amounts are strings, never JSON numbers. With --token-file, every request needs `Authorization: Bearer TOKEN`. Bodies above the limit (16 MiB by default) are refused with 413; a body not received within the time limit (30 s by default) with 408; work not done within what is left of it, waiting for a turn included, with 503. A query parameter given twice is refused with 400. Problem details follow the query's lang (zh by default), on every endpoint.",
        },
        "servers": [{"url": "http://127.0.0.1:8080"}],
        "security": [{"bearer": []}, {}],
        "paths": {
            "/v1/health": get("Liveness", vec![], json!({"type": "object"}), &["401"]),
            "/v1/policy": get("The policy in force, with the SHA-256 of its parameters", vec![],
                json!({"type": "object", "required": ["name", "sha256", "parameters"]}), &["401"]),
            "/v1/openapi.json": get("This document", vec![], json!({"type": "object"}), &["401"]),
            "/v1/schema/{name}": get("A JSON Schema", vec![json!({
                "name": "name", "in": "path", "required": true,
                "schema": {"enum": jiuye_fupin::json::SCHEMAS}
            })], json!({"type": "object"}), &["401", "404"]),
            "/v1/evaluate": post("Every decision of the roster in payouts.csv's order, the totals per program and the receipt",
                vec![as_of.clone(), lang.clone(), clerk.clone()], roster.clone(), schema("evaluation")),
            "/v1/decide": post("The decisions on one subject of the roster",
                vec![
                    query("subject_id", "The subject's id, compared as the roster compares ids: after NFKC normalization and trimming of white space (POLICY.md reading 12)", true, json!({"type": "string"})),
                    query("program", "Only this program's decision", false, json!({"type": "string"})),
                    as_of.clone(), lang.clone(), clerk.clone(),
                ],
                roster.clone(),
                json!({"type": "object", "properties": {
                    "as_of": {"type": "string", "format": "date"},
                    "subject_id": {"type": "string"},
                    "decisions": {"type": "array", "items": schema("decision")},
                    "receipt": {"$ref": "/v1/schema/receipt"},
                }})),
            "/v1/audit": post("The findings of R9 (assistant-post quotas) and R10 (post compliance, with post_months)",
                vec![as_of.clone(), lang.clone(), clerk.clone()], roster.clone(), schema("audit")),
            "/v1/ledger": post("The three-level ledger (台帐): county, town, village, household, person, each level the sum of the one below",
                vec![query("as_of", "The evaluation's date, YYYY-MM-DD exactly (default 2020-04-01)", false, json!({"type": "string", "format": "date"})), lang.clone(), clerk.clone()],
                schema("roster"), schema("ledger")),
            "/v1/compare": post("A reform's impact on the roster: per program, per town, every changed subject",
                vec![as_of, lang, clerk],
                json!({"type": "object", "required": ["roster", "reform"], "additionalProperties": false, "properties": {
                    "roster": roster,
                    "reform": schema("reform")
                }}),
                schema("comparison")),
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Problem": {
                "type": "object",
                "description": "RFC 9457 problem details",
                "required": ["type", "title", "status", "detail"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "errors": {"type": "array", "items": problem_item}
                }
            }},
        },
    })
}
