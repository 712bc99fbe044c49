//! The terminal's [`Prompter`]: inquire's text, select and confirm prompts.

use std::io::{self, IsTerminal};

use anyhow::Result;

use crate::settings::Prompter;

/// Asks on the terminal when stdin and stderr are one and `--no-interactive` was not passed.
#[derive(Debug)]
pub struct Terminal {
    interactive: bool,
}

impl Terminal {
    /// A prompter that asks only if it may and can.
    pub fn new(no_interactive: bool) -> Terminal {
        Terminal {
            interactive: !no_interactive && io::stdin().is_terminal() && io::stderr().is_terminal(),
        }
    }
}

impl Prompter for Terminal {
    fn interactive(&self) -> bool {
        self.interactive
    }

    fn text(&mut self, question: &str, placeholder: &str) -> Result<String> {
        Ok(inquire::Text::new(question)
            .with_placeholder(placeholder)
            .prompt()?)
    }

    fn select(&mut self, question: &str, choices: &[String], default: usize) -> Result<usize> {
        let choice = inquire::Select::new(question, choices.to_vec())
            .with_starting_cursor(default)
            .prompt()?;
        Ok(choices.iter().position(|c| *c == choice).unwrap_or(default))
    }

    fn confirm(&mut self, question: &str) -> Result<bool> {
        Ok(inquire::Confirm::new(question)
            .with_default(true)
            .prompt()?)
    }
}
