//! A roster from JSON, through the one reader: each record's fields become the cells of
//! its CSV row and are read by the same [`Kind::parse`], so JSON and CSV accept and refuse
//! the same values with the same words.

use serde_json::{Map, Value};

use crate::io::cells::Dates;
use crate::io::records::{CellFault, Kind, Type};
use crate::io::split::Cells;
use crate::io::{
    Collector, FieldError, InputError, InputErrors, JsonProblem, JsonType, Problem, files,
};
use crate::io::{Origins, ReadOptions, Source, read_sources_traced, roster};
use crate::model::Roster;

/// The longest value shown in a message, in characters (a longer one is cut, with `…`).
const SHOWN: usize = 200;

/// One list of a JSON roster.
pub(crate) struct List<'v> {
    name: &'static str,
    records: &'v [Value],
}

/// A field's value as shown in a message: its JSON text, `null` when absent.
fn shown(value: Option<&Value>) -> String {
    let text = value.map_or_else(|| "null".to_owned(), Value::to_string);
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text,
    }
}

/// The JSON type of a column.
fn json_type(ty: Type) -> JsonType {
    match ty {
        Type::Bool => JsonType::Boolean,
        Type::Count | Type::Year => JsonType::Integer,
        _ => JsonType::String,
    }
}

/// The cell a field gives, into `out` (empty for `null` or an absent field), or what is
/// wrong with its JSON type. Its value is left to the column's parser.
fn cell_of(value: Option<&Value>, ty: Type, out: &mut String) -> Result<(), Problem> {
    match (value, ty) {
        (None | Some(Value::Null), _) => {}
        (Some(Value::Bool(b)), Type::Bool) => out.push_str(if *b { "true" } else { "false" }),
        (Some(Value::Number(_)), Type::Money) => return Err(Problem::MoneyNumber),
        (Some(Value::Number(n)), Type::Count | Type::Year) => out.push_str(&n.to_string()),
        (Some(Value::String(s)), t) if json_type(t) == JsonType::String => out.push_str(s),
        _ => {
            return Err(Problem::JsonType {
                expected: json_type(ty),
            });
        }
    }
    Ok(())
}

impl Source for List<'_> {
    fn read<K: Kind>(
        self,
        options: &ReadOptions,
        errors: &mut Collector,
        mut keep: impl FnMut(&K::Scratch, u64) -> Result<(), CellFault>,
    ) {
        let fields: Vec<&'static str> = K::COLUMNS.iter().chain(K::OPTIONAL).copied().collect();
        let mut texts = vec![String::new(); fields.len()];
        let mut joined = String::new();
        let mut scratch = K::Scratch::default();
        let mut dates = Dates::new(options);
        for (index, record) in (0u64..).zip(self.records) {
            let Some(obj) = record.as_object() else {
                errors.push(InputError::Json {
                    at: format!("{}[{index}]", self.name),
                    problem: JsonProblem::NotObject,
                });
                continue;
            };
            let fault = |field: &str, problem| {
                InputError::Field(Box::new(FieldError {
                    list: self.name,
                    index,
                    id: obj.get(K::ID).and_then(Value::as_str).map(str::to_owned),
                    field: field.to_owned(),
                    value: shown(obj.get(field)),
                    problem,
                }))
            };
            if let Some(e) = check_cells::<K>(obj, &fields, &mut texts, &fault) {
                errors.push(e);
                continue;
            }
            let cells = Cells::of_texts(texts.iter().map(String::as_str), &mut joined);
            let read = K::parse(&cells, &mut scratch, &mut dates);
            if let Err(f) = read.and_then(|()| keep(&scratch, index)) {
                let field = fields.get(f.column).copied().unwrap_or("?");
                let problem = match f.problem {
                    Problem::DuplicateId { first_line } => Problem::DuplicateAt {
                        first_index: first_line,
                    },
                    p => p,
                };
                errors.push(fault(field, problem));
            }
        }
    }

    /// The list (`laborers`), and no file: an [`Origin`](crate::io::Origin)'s line is the
    /// record's index in the list.
    fn origin(&self) -> (String, String) {
        (self.name.to_owned(), String::new())
    }
}

/// Fills `texts` with the record's cells; the first problem of its fields (an unknown
/// field, a field of the wrong JSON type) as an error.
fn check_cells<K: Kind>(
    obj: &Map<String, Value>,
    fields: &[&'static str],
    texts: &mut [String],
    fault: &impl Fn(&str, Problem) -> InputError,
) -> Option<InputError> {
    if let Some(k) = obj.keys().find(|k| !fields.contains(&k.as_str())) {
        let expected = fields.to_vec();
        return Some(fault(k, Problem::UnknownField { expected }));
    }
    for ((text, field), ty) in texts.iter_mut().zip(fields).zip(K::TYPES) {
        text.clear();
        if let Err(p) = cell_of(obj.get(*field), *ty, text) {
            return Some(fault(field, p));
        }
    }
    None
}

/// The roster of a parsed JSON document.
pub(crate) fn roster_of(value: &Value, options: &ReadOptions) -> Result<Roster, InputErrors> {
    roster_traced(value, options).map(|(roster, _)| roster)
}

/// [`roster_of`], with where each record is: its list and index ([`Origins`]).
pub(crate) fn roster_traced(
    value: &Value,
    options: &ReadOptions,
) -> Result<(Roster, Origins), InputErrors> {
    let mut errors = Collector::default();
    let Some(top) = value.as_object() else {
        return Err(InputError::Json {
            at: "roster".into(),
            problem: JsonProblem::NotObject,
        }
        .into());
    };
    for key in top.keys() {
        if !files::LISTS.contains(&key.as_str()) {
            errors.push(InputError::Json {
                at: key.clone(),
                problem: JsonProblem::UnknownList,
            });
        }
    }
    let lists = files::LISTS.map(|name| match top.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::Array(records)) => Some(List { name, records }),
        Some(_) => {
            errors.push(InputError::Json {
                at: name.to_owned(),
                problem: JsonProblem::NotArray,
            });
            None
        }
    });
    if errors.len() == 0 && lists.iter().all(Option::is_none) {
        errors.push(InputError::Json {
            at: "roster".into(),
            problem: JsonProblem::NoList,
        });
    }
    errors.check()?;
    let (parts, origins) = read_sources_traced(lists, true, options)?;
    Ok((roster(parts)?, origins))
}

/// The JSON Schema of one list's records, from its columns' types.
pub(crate) fn record_schema<K: Kind>(description: &str) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (field, ty) in K::COLUMNS.iter().chain(K::OPTIONAL).zip(K::TYPES) {
        let schema = match ty {
            Type::Id => serde_json::json!({"type": "string", "minLength": 1}),
            Type::Text => serde_json::json!({"type": ["string", "null"]}),
            Type::Code(codes) => {
                let mut values: Vec<Value> = codes.iter().map(|c| Value::from(*c)).collect();
                values.extend([Value::from(""), Value::Null]);
                serde_json::json!({"enum": values})
            }
            Type::Bool => serde_json::json!({"type": ["boolean", "null"]}),
            Type::Count => serde_json::json!({
                "type": ["integer", "null"], "minimum": 0, "maximum": u32::MAX
            }),
            Type::Money => serde_json::json!({
                "type": ["string", "null"],
                "description": "an amount in yuan, a non-negative decimal written as a string (\"523.40\"); a JSON number is refused",
                "examples": ["523.40"]
            }),
            Type::Date => serde_json::json!({
                "type": ["string", "null"], "description": "a date YYYY-MM-DD (\"\" or null: none)",
                "examples": ["2020-03-01"]
            }),
            Type::Year => {
                serde_json::json!({"type": ["integer", "null"], "minimum": 1000, "maximum": 9999})
            }
            Type::Month => serde_json::json!({
                "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "examples": ["2020-03"]
            }),
        };
        if matches!(ty, Type::Id | Type::Month) {
            required.push(Value::from(*field));
        }
        properties.insert((*field).to_owned(), schema);
    }
    serde_json::json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}
