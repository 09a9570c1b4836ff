//! A small YAML document model over saphyr-parser, for the offer spec: read
//! with every node's position (so an error names its line and column), and
//! written so that no value can change the document's structure.
//!
//! Plain scalars resolve by the YAML 1.2 core schema (`8` is a number,
//! `true` a boolean, `~` null); quoted and tagged-`!!str` scalars are strings.
//! Anchors, aliases and several documents are refused: a spec has no use for
//! them, and the service need not read them as we would.

use saphyr_parser::{Event, Parser, ScalarStyle};

/// Where a node starts: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub value: Yaml,
    pub at: Position,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_at: Position,
    pub value: Node,
}

// Two documents are the same when their values are, wherever they were typed.
impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.value == other.value
    }
}

impl Node {
    pub fn new(value: Yaml) -> Self {
        Self {
            value,
            at: Position::default(),
        }
    }
}

/// A YAML text that could not be read, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub at: Position,
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.at.line, self.at.column, self.message
        )
    }
}

fn position(marker: &saphyr_parser::Marker) -> Position {
    Position {
        line: marker.line(),
        column: marker.col() + 1,
    }
}

/// What is being built while its children are read.
enum Open {
    Seq(Vec<Node>, Position),
    Map(Vec<Entry>, Position, Option<(String, Position)>),
}

/// Reads one YAML document; an empty text is `Null`.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|scan| YamlError {
            at: position(scan.marker()),
            message: scan.info().to_owned(),
        })?;
        let at = position(&span.start);
        let refuse = |message: &str| YamlError {
            at,
            message: message.to_owned(),
        };
        let finished = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(refuse(
                        "a spec is one YAML document; remove the second `---`",
                    ));
                }
                None
            }
            Event::Alias(_) => return Err(refuse("aliases (*name) are not supported in a spec")),
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 {
                    return Err(refuse("anchors (&name) are not supported in a spec"));
                }
                let is_str_tag = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == ScalarStyle::Plain && tag.is_none() {
                    resolve_plain(&value)
                } else if is_str_tag || tag.is_none() {
                    Yaml::Str(value.into_owned())
                } else {
                    resolve_plain(&value)
                };
                Some(Node { value, at })
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) if anchor != 0 => {
                return Err(refuse("anchors (&name) are not supported in a spec"));
            }
            Event::SequenceStart(..) => {
                stack.push(Open::Seq(Vec::new(), at));
                None
            }
            Event::MappingStart(..) => {
                stack.push(Open::Map(Vec::new(), at, None));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq(items, start)) => Some(Node {
                    value: Yaml::Seq(items),
                    at: start,
                }),
                _ => return Err(refuse("unbalanced sequence")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map(entries, start, _)) => Some(Node {
                    value: Yaml::Map(entries),
                    at: start,
                }),
                _ => return Err(refuse("unbalanced mapping")),
            },
            _ => None,
        };
        let Some(node) = finished else { continue };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Open::Seq(items, _)) => items.push(node),
            Some(Open::Map(entries, _, pending)) => match pending.take() {
                None => match node.value {
                    Yaml::Str(key) => *pending = Some((key, node.at)),
                    Yaml::Int(n) => *pending = Some((n.to_string(), node.at)),
                    Yaml::Bool(b) => *pending = Some((b.to_string(), node.at)),
                    _ => {
                        return Err(YamlError {
                            at: node.at,
                            message: "a key must be a plain word".to_owned(),
                        })
                    }
                },
                Some((key, key_at)) => {
                    if entries.iter().any(|e| e.key == key) {
                        return Err(YamlError {
                            at: key_at,
                            message: format!("the key `{key}` appears twice"),
                        });
                    }
                    entries.push(Entry {
                        key,
                        key_at,
                        value: node,
                    });
                }
            },
        }
    }
    Ok(root.unwrap_or(Node::new(Yaml::Null)))
}

/// The core schema's reading of a plain scalar.
fn resolve_plain(raw: &str) -> Yaml {
    match raw {
        "" | "~" | "null" | "Null" | "NULL" => return Yaml::Null,
        "true" | "True" | "TRUE" => return Yaml::Bool(true),
        "false" | "False" | "FALSE" => return Yaml::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Yaml::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Yaml::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Yaml::Float(f64::NAN),
        _ => {}
    }
    let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = raw.parse::<i64>() {
            return Yaml::Int(n);
        }
    }
    if let Some(hex) = raw.strip_prefix("0x") {
        if let Ok(n) = i64::from_str_radix(hex, 16) {
            return Yaml::Int(n);
        }
    }
    if let Some(oct) = raw.strip_prefix("0o") {
        if let Ok(n) = i64::from_str_radix(oct, 8) {
            return Yaml::Int(n);
        }
    }
    if looks_like_float(digits) {
        if let Ok(n) = raw.parse::<f64>() {
            return Yaml::Float(n);
        }
    }
    Yaml::Str(raw.to_owned())
}

/// `[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?` with at least one digit before the
/// exponent: what the core schema calls a float (Rust's parser alone would
/// also take `inf` or `NaN`).
fn looks_like_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (text, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next().unwrap_or_default();
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        digits_only(whole) && digits_only(fraction) && (whole.len() + fraction.len()) > 0;
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits_only(e)
    });
    mantissa_ok && exponent_ok
}

/// A string as a double-quoted YAML scalar that reads back as exactly the
/// same string under YAML 1.1 and 1.2 readers alike: quotes, backslashes,
/// every control character, and the characters some readers take as line
/// breaks or refuse (NEL, LS, PS, BOM, non-characters) are escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            c if needs_escape(c) => {
                let code = u32::from(c);
                if code <= 0xFFFF {
                    out.push_str(&format!("\\u{code:04X}"));
                } else {
                    out.push_str(&format!("\\U{code:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn needs_escape(c: char) -> bool {
    let code = u32::from(c);
    code < 0x20
        || (0x7F..=0x9F).contains(&code)
        || matches!(code, 0x2028 | 0x2029 | 0xFEFF | 0xFFFE | 0xFFFF)
}

/// A key written bare when it is a plain word, quoted otherwise.
pub fn key(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && text
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && !matches!(
            text,
            "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL"
        );
    if plain {
        text.to_owned()
    } else {
        quote(text)
    }
}

/// A number as YAML: whole numbers without a fraction, others as Rust
/// prints them (which YAML reads back as the same value).
pub fn number(value: f64) -> String {
    if value.is_finite() {
        crate::decimal::shortest(value)
    } else if value.is_nan() {
        ".nan".to_owned()
    } else if value > 0.0 {
        ".inf".to_owned()
    } else {
        "-.inf".to_owned()
    }
}

/// Writes `value` as the body of `key:` at `indent` spaces, block style.
pub fn write_entry(out: &mut String, indent: usize, name: &str, value: &Yaml) {
    let pad = " ".repeat(indent);
    match value {
        Yaml::Map(entries) if !entries.is_empty() => {
            out.push_str(&format!("{pad}{}:\n", key(name)));
            for entry in entries {
                write_entry(out, indent + 2, &entry.key, &entry.value.value);
            }
        }
        Yaml::Seq(items) if !items.is_empty() => {
            out.push_str(&format!("{pad}{}:\n", key(name)));
            for item in items {
                write_item(out, indent + 2, &item.value);
            }
        }
        scalar => out.push_str(&format!("{pad}{}: {}\n", key(name), inline(scalar))),
    }
}

/// Writes one sequence item at `indent` spaces.
pub fn write_item(out: &mut String, indent: usize, value: &Yaml) {
    let pad = " ".repeat(indent);
    match value {
        Yaml::Map(entries) if !entries.is_empty() => {
            let mut body = String::new();
            for entry in entries {
                write_entry(&mut body, indent + 2, &entry.key, &entry.value.value);
            }
            // The first entry goes on the dash's line.
            out.push_str(&format!("{pad}- {}", body.trim_start()));
        }
        Yaml::Seq(items) if !items.is_empty() => {
            out.push_str(&format!("{pad}-\n"));
            for item in items {
                write_item(out, indent + 2, &item.value);
            }
        }
        scalar => out.push_str(&format!("{pad}- {}\n", inline(scalar))),
    }
}

/// A scalar, or an empty collection, on one line.
fn inline(value: &Yaml) -> String {
    match value {
        Yaml::Null => "null".to_owned(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(n) => n.to_string(),
        Yaml::Float(f) => {
            let text = number(*f);
            // Keep a float a float, so a round trip gives back its type.
            if f.is_finite() && f.fract() == 0.0 && !text.contains(['e', '.']) {
                format!("{text}.0")
            } else {
                text
            }
        }
        Yaml::Str(s) => quote(s),
        Yaml::Seq(_) => "[]".to_owned(),
        Yaml::Map(_) => "{}".to_owned(),
    }
}

impl Yaml {
    /// How the value is named in a message: "a number", "a list".
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Null => "empty",
            Self::Bool(_) => "true or false",
            Self::Int(_) | Self::Float(_) => "a number",
            Self::Str(_) => "text",
            Self::Seq(_) => "a list",
            Self::Map(_) => "a mapping",
        }
    }

    /// As JSON, for showing what the service understood and for tests.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(*b),
            Self::Int(n) => Value::from(*n),
            Self::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Self::Str(s) => Value::String(s.clone()),
            Self::Seq(items) => Value::Array(items.iter().map(|n| n.value.to_json()).collect()),
            Self::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.value.to_json()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> serde_json::Value {
        parse(text).unwrap().value.to_json()
    }

    #[test]
    fn plain_scalars_resolve_by_the_core_schema() {
        assert_eq!(
            value("a: 8\nb: 4.5\nc: true\nd: ~\ne: H100\nf: '8'\ng: 1e3\nh: .5"),
            serde_json::json!({"a": 8, "b": 4.5, "c": true, "d": null, "e": "H100", "f": "8", "g": 1000.0, "h": 0.5})
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let err = parse("compute:\n  gpu_type: [H100\n").unwrap_err();
        assert!(err.at.line >= 2, "{err}");
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(err.at, Position { line: 2, column: 1 });
        assert!(parse("a: &x 1\nb: *x\n").is_err());
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
    }

    #[test]
    fn quoted_strings_read_back_as_themselves() {
        for text in [
            "x\ncompute: {}",
            "a\"b\\c",
            "\u{85}\u{2028}\u{2029}\u{feff}\u{7f}\u{1}\t\r",
            "emoji 🚀 and عربى",
            "- item",
            "key: value",
            "#comment",
            "&anchor *alias !tag %directive @at `tick`",
            "",
        ] {
            let doc = format!("k: {}\n", quote(text));
            assert_eq!(value(&doc), serde_json::json!({ "k": text }), "{doc}");
        }
    }

    #[test]
    fn written_documents_read_back() {
        let doc = Yaml::Map(vec![
            Entry {
                key: "weird key: x".into(),
                key_at: Position::default(),
                value: Node::new(Yaml::Seq(vec![
                    Node::new(Yaml::Int(1)),
                    Node::new(Yaml::Map(vec![Entry {
                        key: "a".into(),
                        key_at: Position::default(),
                        value: Node::new(Yaml::Float(2.0)),
                    }])),
                    Node::new(Yaml::Seq(Vec::new())),
                ])),
            },
            Entry {
                key: "true".into(),
                key_at: Position::default(),
                value: Node::new(Yaml::Str("yes".into())),
            },
        ]);
        let mut out = String::new();
        if let Yaml::Map(entries) = &doc {
            for entry in entries {
                write_entry(&mut out, 0, &entry.key, &entry.value.value);
            }
        }
        assert_eq!(value(&out), doc.to_json(), "{out}");
    }
}
