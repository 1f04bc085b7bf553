//! `resume-compiler`: parse the command line, set up logging, run.

use clap::Parser;
use compiler::cli::{Cli, Command};
use tracing_subscriber::EnvFilter;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let json = matches!(&cli.command, Command::Serve(c) if c.log_format == "json");
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        let level = if matches!(cli.command, Command::Serve(_)) {
            "info"
        } else {
            "warn"
        };
        EnvFilter::new(format!("compiler={level},resume_compiler={level}"))
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
    compiler::cli::main_with(cli)
}
