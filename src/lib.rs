//! fastgen scaffolds serverless FastAPI APIs on AWS inside an Nx-compatible
//! monorepo: the CLI ([`cli`]) parses options and hands them to a generator
//! ([`generators`]), which stages files in a virtual [`tree`] that is written
//! to disk in one go at the end.

pub mod cli;
pub mod generators;
pub mod model;
pub mod names;
pub mod render;
pub mod tree;
pub mod workspace;
