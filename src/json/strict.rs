//! JSON text to a [`serde_json::Value`], refusing an object that gives a key twice.
//!
//! `serde_json` keeps the last of two equal keys (`{"laborers": [..], "laborers": [..]}`
//! keeps the second list; `{"transport_cost": "100", "transport_cost": "400"}` pays 400),
//! and so would silently drop records or cells that a CSV file with a repeated column is
//! refused for. This reader builds the same `Value` through `serde_json`'s own parser (its
//! syntax, its nesting limit, its line and column), and stops at a repeated key. A UTF-8
//! byte order mark before the text is ignored, as RFC 8259 (section 8.1) allows a parser
//! to: Windows tools write one.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::io::JsonProblem;

/// Parses JSON text, refusing a key given twice in one object.
///
/// ```
/// use jiuye_fupin::io::JsonProblem;
/// use jiuye_fupin::json::parse_value;
///
/// let v = parse_value(br#"{"laborers": [{"id": "L1"}]}"#)?;
/// assert_eq!(v["laborers"][0]["id"], "L1");
///
/// let twice = br#"{"laborers": [{"id": "L1", "id": "L2"}]}"#;
/// let Err(JsonProblem::RepeatedKey { key, line, .. }) = parse_value(twice) else { panic!() };
/// assert_eq!((key.as_str(), line), ("id", 1));
/// assert!(matches!(parse_value(b"{"), Err(JsonProblem::Syntax(_))));
/// // A byte order mark before the text is ignored.
/// assert_eq!(parse_value(b"\xEF\xBB\xBF[1]")?, serde_json::json!([1]));
/// # Ok::<(), JsonProblem>(())
/// ```
///
/// # Errors
/// [`JsonProblem::RepeatedKey`] naming the key and where its second mention ends;
/// [`JsonProblem::Syntax`] for text that is not JSON (with the parser's line and column).
pub fn parse_value(json: &[u8]) -> Result<Value, JsonProblem> {
    let json = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
    let repeated = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(json);
    let parsed = Strict(&repeated)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    parsed.map_err(|e| match repeated.take() {
        Some(key) => JsonProblem::RepeatedKey {
            key,
            line: e.line(),
            column: e.column(),
        },
        None => JsonProblem::Syntax(e.to_string()),
    })
}

/// Builds a `Value` as `serde_json` does; notes a repeated key in the cell.
#[derive(Clone, Copy)]
struct Strict<'r>(&'r RefCell<Option<String>>);

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // As `serde_json`'s own `Value` (JSON text has no NaN or infinity). No money is
        // read from it: an amount given as a JSON number is refused (`Problem::MoneyNumber`).
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                let message = format!("the key {key:?} is given twice");
                *self.0.borrow_mut() = Some(key);
                return Err(de::Error::custom(message));
            }
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_value_as_serde_json_for_documents_without_a_repeated_key() {
        for text in [
            r#"{"a": [1, -2, 3.5, 1e300, 18446744073709551615, true, null, "x\u0000"], "b": {}}"#,
            "[]",
            r#""s""#,
            "  0 ",
        ] {
            let want: Value = serde_json::from_str(text).unwrap();
            assert_eq!(parse_value(text.as_bytes()).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn a_repeated_key_anywhere_is_refused_and_deep_nesting_stays_refused() {
        for text in [
            r#"{"a": 1, "a": 2}"#,
            r#"{"laborers": [], "laborers": [{"id": "L2"}]}"#,
            r#"[{"x": {"y": 1, "y": 1}}]"#,
        ] {
            assert!(
                matches!(
                    parse_value(text.as_bytes()),
                    Err(JsonProblem::RepeatedKey { .. })
                ),
                "{text}"
            );
        }
        let deep = "[".repeat(100_000);
        assert!(matches!(
            parse_value(deep.as_bytes()),
            Err(JsonProblem::Syntax(_))
        ));
        assert!(matches!(parse_value(b"{} x"), Err(JsonProblem::Syntax(_))));
    }
}
