//! The command line: `serve`, `render`, `validate`, `templates`, `sample`.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use base64::Engine as _;
use clap::{Parser, Subcommand, ValueEnum};
use resume_common::api::{self, Source};
use resume_common::cache_key::Format;
use resume_common::error::Failure;
use resume_common::model::DocumentType;
use resume_common::render::TEMPLATES;
use resume_common::schema;
use serde_json::{Value, json};

use crate::clock;
use crate::config::{CompileConfig, Config};
use crate::job::Compiler;

/// Résumé and cover-letter PDFs from JSON or YAML.
#[derive(Debug, Parser)]
#[command(name = "resume-compiler", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Input data format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// JSON in the JSON Resume schema (also detected from a `basics` object).
    Jsonresume,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP API.
    Serve(Config),
    /// Render one document to a file.
    Render {
        /// Data file (JSON or YAML), or `-` for standard input.
        input: String,
        /// Document type: resume or cover_letter.
        #[arg(long = "type", default_value = "resume")]
        doc_type: String,
        /// Template name.
        #[arg(long, default_value = "classic")]
        template: String,
        /// Output format: pdf, tex, txt or docx.
        #[arg(long, default_value = "pdf")]
        format: String,
        /// Spacing mode: normal, compact or ultra-compact.
        #[arg(long)]
        spacing: Option<String>,
        /// Output file, or `-` for standard output.
        #[arg(short, long)]
        output: String,
        /// Input format (default: from the file extension, else JSON).
        #[arg(long, value_enum)]
        input_format: Option<InputFormat>,
        #[command(flatten)]
        layout: LayoutArgs,
        #[command(flatten)]
        compile: CompileConfig,
    },
    /// Check a data file and print every problem with its location.
    Validate {
        /// Data file (JSON or YAML), or `-` for standard input.
        input: String,
        /// Document type: resume or cover_letter.
        #[arg(long = "type", default_value = "resume")]
        doc_type: String,
        /// Input format (default: from the file extension, else JSON).
        #[arg(long, value_enum)]
        input_format: Option<InputFormat>,
    },
    /// List the templates.
    Templates,
    /// Write a complete example document (JSON, or YAML for a .yaml/.yml path).
    Sample {
        /// resume or cover_letter.
        doc_type: String,
        /// Output file (default: standard output, JSON).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// The layout options, as the request fields of the same names (checked by the same code).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LayoutArgs {
    /// Paper size: letter (default), a4 or legal.
    #[arg(long)]
    page_size: Option<String>,
    /// Language of the titles, dates and labels: en (default), de, fr, es, pt, it, nl, pl, cs,
    /// sv, da, nb, fi, tr, ro, hu, el, ru, uk, zh, ja, ko.
    #[arg(long)]
    locale: Option<String>,
    /// Sections to print first, in order, comma-separated (`education,experience`).
    #[arg(long, value_delimiter = ',')]
    section_order: Vec<String>,
    /// Sections not to print, comma-separated.
    #[arg(long, value_delimiter = ',')]
    hide: Vec<String>,
    /// A section's title, as `key=Title` (repeatable).
    #[arg(long = "title", value_name = "KEY=TITLE")]
    titles: Vec<String>,
    /// No page numbers on documents longer than a page.
    #[arg(long)]
    no_page_numbers: bool,
    /// Type face: pagella (default), termes, bonum, schola, heros, adventor.
    #[arg(long)]
    font: Option<String>,
    /// Accent colour for headings, rules, links and the sidebar, as #RRGGBB.
    #[arg(long)]
    accent_color: Option<String>,
    /// A PNG or JPEG file to print as the photo (over the data's `personalInfo.photo`).
    #[arg(long, value_name = "FILE")]
    photo: Option<PathBuf>,
    /// How the photo is cropped: square (default) or circle.
    #[arg(long)]
    photo_shape: Option<String>,
}

impl LayoutArgs {
    /// Writes the options into a request body, as a client would send them.
    fn apply(&self, body: &mut Value) -> Result<(), CliError> {
        if let Some(s) = &self.page_size {
            body["page_size"] = json!(s);
        }
        if let Some(l) = &self.locale {
            body["locale"] = json!(l);
        }
        if !self.section_order.is_empty() {
            body["section_order"] = json!(self.section_order);
        }
        if !self.hide.is_empty() {
            body["hidden_sections"] = json!(self.hide);
        }
        if !self.titles.is_empty() {
            let mut titles = serde_json::Map::new();
            for t in &self.titles {
                let (k, v) = t
                    .split_once('=')
                    .ok_or_else(|| CliError::new(2, format!("--title '{t}' must be KEY=TITLE")))?;
                titles.insert(k.trim().to_owned(), json!(v.trim()));
            }
            body["section_titles"] = Value::Object(titles);
        }
        if self.no_page_numbers {
            body["page_numbers"] = json!(false);
        }
        if let Some(f) = &self.font {
            body["font"] = json!(f);
        }
        if let Some(c) = &self.accent_color {
            body["accent_color"] = json!(c);
        }
        if let Some(s) = &self.photo_shape {
            body["photo_shape"] = json!(s);
        }
        if let Some(path) = &self.photo {
            // The user's own file, read here on their machine; the service itself never
            // reads files: it takes the photo as a data: URI like any client sends it.
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::new(2, format!("cannot read '{}': {e}", path.display())))?;
            let media = if bytes.starts_with(b"\x89PNG") {
                "image/png"
            } else {
                "image/jpeg"
            };
            let uri = format!(
                "data:{media};base64,{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            );
            let slot = ["/data/personalInfo", "/data/basics"]
                .into_iter()
                .find(|p| body.pointer(p).is_some_and(Value::is_object));
            match slot.and_then(|p| body.pointer_mut(p)) {
                Some(Value::Object(p)) => {
                    let key = if slot == Some("/data/basics") {
                        "image"
                    } else {
                        "photo"
                    };
                    p.insert(key.into(), json!(uri));
                }
                _ => {
                    return Err(CliError::new(
                        2,
                        "--photo needs a document with personalInfo (or JSON Resume basics)",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A CLI failure: a message for stderr and an exit code.
#[derive(Debug)]
pub struct CliError {
    /// What went wrong.
    pub message: String,
    /// 1 for invalid input or a failed compile, 2 for usage errors.
    pub code: u8,
}

impl CliError {
    fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code,
        }
    }
}

impl From<Failure> for CliError {
    fn from(f: Failure) -> Self {
        let mut msg = format!("error[{}]: {}", f.code, f.message);
        for e in &f.errors {
            msg.push_str(&format!(
                "\n  {} {}: {}",
                e.code,
                if e.path.is_empty() { "/" } else { &e.path },
                e.message
            ));
        }
        CliError::new(1, msg)
    }
}

fn read_input(input: &str, format: Option<InputFormat>) -> Result<Value, CliError> {
    let mut text = String::new();
    if input == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::new(1, format!("cannot read standard input: {e}")))?;
    } else {
        text = std::fs::read_to_string(input)
            .map_err(|e| CliError::new(1, format!("cannot read '{input}': {e}")))?;
    }
    let yaml = match format {
        Some(f) => f == InputFormat::Yaml,
        None => input.ends_with(".yaml") || input.ends_with(".yml"),
    };
    if yaml {
        Ok(api::parse_yaml(&text, "")?)
    } else {
        serde_json::from_str(&text)
            .map_err(|e| CliError::new(1, format!("invalid JSON in '{input}': {e}")))
    }
}

fn write_output(output: &str, bytes: &[u8]) -> Result<(), CliError> {
    let res = if output == "-" {
        std::io::stdout().lock().write_all(bytes)
    } else {
        std::fs::write(output, bytes)
    };
    res.map_err(|e| CliError::new(1, format!("cannot write '{output}': {e}")))
}

/// Runs a non-server command.
pub async fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Serve(_) => unreachable!("main runs the server"),
        Command::Render {
            input,
            doc_type,
            template,
            format,
            spacing,
            output,
            input_format,
            layout,
            compile,
        } => {
            let data = read_input(&input, input_format)?;
            let mut body = json!({"document_type": doc_type, "template": template, "format": format, "data": data});
            if input_format == Some(InputFormat::Jsonresume) {
                body["input_format"] = json!("jsonresume");
            }
            if let Some(s) = spacing {
                body["spacing_mode"] = Value::String(s);
            }
            layout.apply(&mut body)?;
            let p = api::prepare(&body, Source::Json, clock::today())?;
            match p.format {
                Format::Tex => write_output(&output, p.tex.as_bytes()),
                Format::Txt | Format::Docx => {
                    let bytes = match p.format {
                        Format::Docx => p.docx(p.spacing)?,
                        _ => p.text().into_bytes(),
                    };
                    write_output(&output, &bytes)
                }
                Format::Pdf => {
                    let compiler =
                        Arc::new(Compiler::new(compile).map_err(|e| CliError::new(1, e))?);
                    let pdf = compiler
                        .compile_doc_with(p.template, &p.tex, &p.assets())
                        .await
                        .map_err(|e| CliError::new(1, format!("error: {e}")))?;
                    write_output(&output, &pdf.bytes)
                }
            }
        }
        Command::Validate {
            input,
            doc_type,
            input_format,
        } => {
            let data = read_input(&input, input_format)?;
            let mut body = json!({"document_type": doc_type, "data": data});
            if input_format == Some(InputFormat::Jsonresume) {
                body["input_format"] = json!("jsonresume");
            }
            let report = api::validate(&body, clock::today())?;
            let mut out = String::new();
            for w in &report.warnings {
                out.push_str(&format!("warning[{}] {}: {}\n", w.code, w.path, w.message));
            }
            for e in &report.errors {
                out.push_str(&format!("error[{}] {}: {}\n", e.code, e.path, e.message));
            }
            if report.valid {
                out.push_str(&format!("{}\n", report.message));
                write_output("-", out.as_bytes())
            } else {
                Err(CliError::new(1, format!("{out}{}", report.message)))
            }
        }
        Command::Templates => {
            let mut out = String::new();
            for t in TEMPLATES {
                out.push_str(&format!(
                    "{:<13} {:<11} {}\n",
                    t.document_type.as_str(),
                    t.name,
                    t.description
                ));
            }
            write_output("-", out.as_bytes())
        }
        Command::Sample { doc_type, output } => {
            let dt = DocumentType::parse(&doc_type).ok_or_else(|| {
                CliError::new(
                    2,
                    format!("unknown document type '{doc_type}'; use resume or cover_letter"),
                )
            })?;
            let (text, path) = match &output {
                Some(p) if p.extension().is_some_and(|e| e == "yaml" || e == "yml") => {
                    (schema::yaml_example(dt), p.display().to_string())
                }
                Some(p) => (
                    serde_json::to_string_pretty(&schema::example(dt)).expect("json") + "\n",
                    p.display().to_string(),
                ),
                None => (
                    serde_json::to_string_pretty(&schema::example(dt)).expect("json") + "\n",
                    "-".to_owned(),
                ),
            };
            write_output(&path, text.as_bytes())
        }
    }
}

/// Entry point used by `main`.
pub fn main_with(cli: Cli) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Serve(cfg) => rt
            .block_on(crate::serve(cfg, crate::shutdown_signal()))
            .map_err(|e| CliError::new(1, format!("error: {e:#}"))),
        other => rt.block_on(run(other)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "{}", e.message);
            ExitCode::from(e.code)
        }
    }
}
