//! `fastgen list`: every generator with its options, as text or as JSON Schema,
//! read from clap's own definitions so it cannot drift from the parser.

use clap::CommandFactory;
use serde_json::{Map, Value, json};

use crate::args::Cli;

/// Prints every generator with its options, as text or as JSON Schema.
pub fn print(json: bool) {
    let cli = Cli::command();
    let generate = cli.find_subcommand("generate").expect("generate exists");
    if json {
        let mut schemas = Map::new();
        for generator in generate.get_subcommands() {
            schemas.insert(generator.get_name().to_string(), schema(generator));
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&Value::Object(schemas)).expect("valid JSON")
        );
        return;
    }
    for generator in generate.get_subcommands() {
        println!(
            "{}  {}",
            generator.get_name(),
            generator
                .get_about()
                .map(|a| a.to_string())
                .unwrap_or_default()
        );
        let width = options_of(generator)
            .filter_map(clap::Arg::get_long)
            .map(str::len)
            .max()
            .unwrap_or(0);
        for arg in options_of(generator) {
            let long = arg.get_long().expect("options are long flags");
            let mut line = format!("  --{long:<width$} {}", help_of(arg));
            if long == "name" {
                line.push_str(" (required)");
            }
            if let Some(default) = arg.get_default_values().first() {
                line.push_str(&format!(" [default: {}]", default.to_string_lossy()));
            }
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if !values.is_empty() {
                line.push_str(&format!(" [values: {}]", values.join(", ")));
            }
            println!("{line}");
        }
    }
}

/// The options a generator documents: its long flags, without the common ones.
fn options_of(generator: &clap::Command) -> impl Iterator<Item = &clap::Arg> {
    generator.get_arguments().filter(|arg| {
        arg.get_long().is_some_and(|long| {
            !matches!(
                long,
                "dry-run" | "skip-install" | "no-interactive" | "yes" | "format" | "help"
            )
        })
    })
}

fn help_of(arg: &clap::Arg) -> String {
    arg.get_help().map(|h| h.to_string()).unwrap_or_default()
}

/// A JSON Schema of a generator's options, with the seed's camelCase names.
fn schema(generator: &clap::Command) -> Value {
    let mut properties = Map::new();
    for arg in options_of(generator) {
        let long = arg.get_long().expect("options are long flags");
        let kind = if !arg.get_action().takes_values() {
            "boolean"
        } else if arg.get_value_parser().type_id() == std::any::TypeId::of::<u32>() {
            "integer"
        } else {
            "string"
        };
        let mut property = json!({ "type": kind, "description": help_of(arg) });
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        if kind == "boolean" {
            property["default"] = json!(false);
        } else if !values.is_empty() {
            property["enum"] = json!(values);
        }
        if let Some(default) = arg.get_default_values().first() {
            let default = default.to_string_lossy();
            property["default"] = match kind {
                "boolean" => json!(default == "true"),
                "integer" => json!(default.parse::<u32>().expect("an integer default")),
                _ => json!(default),
            };
        }
        properties.insert(heck::ToLowerCamelCase::to_lower_camel_case(long), property);
    }
    let required: Vec<&str> = ["name"]
        .into_iter()
        .filter(|name| properties.contains_key(*name))
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": generator.get_name(),
        "description": generator.get_about().map(|a| a.to_string()).unwrap_or_default(),
        "type": "object",
        "properties": properties,
        "required": required,
    })
}
